# ruff: noqa: E501 -- data tables laid out one record per line (fmt: skip); Japanese text counts double width
"""The real programmes and their clusters, from the seed documents and the public-record lists.

Two sources, kept apart so readers can weigh them:
- `program-lists/*.csv` (copied into `demo/data/`): one cluster per row, with the list's own
  `verified` flag and `source`; the tables below only add what the lists lack (a code, an English
  name, prefectures, fields).
- The seed documents (`/work/shared/seeds/`): the Knowledge Cluster phase I regions (merged into
  the list rows of the same region), the 19 City Area areas of FY2002 and the 19 Industrial
  Cluster phase I projects with their company and university counts.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from renkei.core.models import RecordSource
from renkei.programs.choices import Ministry

DATA_DIR = Path(__file__).resolve().parent / "data"

SEED_MEXT_EN = "seeds/000_86e0cba23c9c079e.txt (MEXT, Industry-Academy Cooperation Measures, 2003)"
SEED_MEXT_JA = "seeds/002_f0241677d66018d1.txt (文部科学省 産学官連携施策, 2003)"
SEED_METI_2006 = "seeds/001_899b133367299b66.txt (METI, Industrial Cluster Policy, 2006)"
SEED_METI_2003 = "seeds/003_bca50c1c88e48518.txt (METI, Activating Industrial Clusters, 2003)"
SEED_MEXT_CLUSTER = "seeds/004_ea909c88cb2d084b.txt (MEXT, Outline of the CLUSTER)"

KC1 = "mext-knowledge-cluster-1"
KC2 = "mext-knowledge-cluster-2"
CITY_AREA = "mext-city-area"
IC1 = "meti-industrial-cluster-1"
IC2 = "meti-industrial-cluster-2"

OKU = 100_000_000  # 億円


@dataclass(frozen=True)
class ProgrammeSpec:
    code: str
    name_ja: str
    name_en: str
    ministry: str
    phase: str
    start_fy: int
    end_fy: int | None
    description_ja: str
    description_en: str
    source_note: str


@dataclass(frozen=True)
class BudgetPlan:
    """A yearly national budget: `amount_yen` for each of `years` fiscal years from the cluster's
    first fiscal year (or ending in its last one when the first is unknown)."""

    amount_yen: int
    years: int
    is_estimate: bool
    note: str


@dataclass
class ClusterSpec:
    code: str
    programme: str
    name_ja: str
    name_en: str
    bureau: str
    prefectures: list[str]
    fields: list[str]
    region_label: str = ""
    theme: str = ""
    start_fy: int | None = None
    end_fy: int | None = None
    description_ja: str = ""
    description_en: str = ""
    is_trial: bool = False
    verified: bool = False
    source: str = RecordSource.SEED_DOCUMENT
    source_note: str = ""
    budget: BudgetPlan | None = None
    # Sizes from the seeds (Industrial Cluster phase I), used to spread the generated members.
    companies: int | None = None
    universities: int | None = None
    # Generation hints: the phase I projects a phase II project continues (an assumption of the
    # demo, not a claim), and how many generated members a cluster without seed counts gets.
    predecessors: list[str] = field(default_factory=list)
    generated_members: int = 20


PROGRAMMES: list[ProgrammeSpec] = [
    ProgrammeSpec(
        code=IC1,
        name_ja="産業クラスター計画（第Ⅰ期）",
        name_en="Industrial Cluster Program (Phase I)",
        ministry=Ministry.METI,
        phase="I",
        start_fy=2001,
        end_fy=2005,
        description_ja=(
            "経済産業省が2001年度から推進する産業クラスター計画の立ち上げ期。全国19プロジェクトで、地域の中小企業"
            "約5,000社と200以上の大学の研究者等と、経済産業局職員約500名が密接な協力関係を構築した。2005年12月末時点で"
            "約9,800社の中小企業と約290の大学（高専を含む）が広域的な人的ネットワークに参加。2002年度当初予算353億円、"
            "同補正91億円、2003年度当初予算413億円（実用化技術開発支援の競争率5.1〜8.3倍）。"
        ),
        description_en=(
            "The initiation phase of METI's Industrial Cluster Program (since FY2001): 19 projects nationwide in which "
            "about 500 officials of the regional Bureaus of Economy, Trade and Industry built close ties with about "
            "5,000 SME managers and researchers of more than 200 universities. By the end of December 2005 the "
            "wide-area networks held about 9,800 SMEs and about 290 universities including technical colleges. "
            "Relevant budgets: FY2002 initial ¥35.3 billion, FY2002 supplementary ¥9.1 billion, FY2003 initial "
            "¥41.3 billion (competitive rates for practical-application technology support 5.1 to 8.3)."
        ),
        source_note=f"{SEED_METI_2003}; {SEED_METI_2006}",
    ),
    ProgrammeSpec(
        code=IC2,
        name_ja="産業クラスター計画（第Ⅱ期）",
        name_en="Industrial Cluster Program (Phase II)",
        ministry=Ministry.METI,
        phase="II",
        start_fy=2006,
        end_fy=2010,
        description_ja=(
            "産業クラスターの成長期（2006年4月1日〜2011年3月31日）。第Ⅰ期の19プロジェクトを評価に基づき17に再編"
            "（5プロジェクトを終了・統合、3プロジェクトを新設）。5年間で新事業4万件の創出を共通目標とし、"
            "プロジェクトごとに売上高や新規創業数の数値目標を設定、PDCAサイクルを実施する。"
        ),
        description_en=(
            "The growth phase of the industrial clusters (1 April 2006 to 31 March 2011). Based on the evaluation of "
            "phase I, the 19 projects were reorganised into 17 (5 terminated or integrated, 3 newly established). "
            "Common target: 40,000 new businesses in five years, with numeric targets such as sales and new "
            "companies set for each project, and the Plan-Do-Check-Act cycle. Phase III (2011-2020) was planned as "
            "the self-sustaining expansion phase."
        ),
        source_note=SEED_METI_2006,
    ),
    ProgrammeSpec(
        code=KC1,
        name_ja="知的クラスター創成事業（第Ⅰ期）",
        name_en="Knowledge Cluster Initiative (Phase I)",
        ministry=Ministry.MEXT,
        phase="I",
        start_fy=2002,
        end_fy=None,
        description_ja=(
            "知的活動・連携体制整備等のポテンシャルの極めて高い地域を選定し、大学等を核として関連研究機関や研究開発型企業"
            "等による国際的な競争力のある技術革新のための集積の創成を目指す。自治体が主体的に事業計画を策定し、自治体の"
            "指定する中核財団等を事業の実施主体として補助（1地域当たり年間5億円程度×5年間）。知的クラスター本部"
            "（本部長、事業総括、研究統括等）を設置し、科学技術コーディネータや弁理士等のアドバイザーを配置する。"
            "13クラスター（15地域）と試行地域3地域（1地域当たり年間1億円、3年間）。"
        ),
        description_en=(
            "The CLUSTER program (Cooperative Link of Unique Science and Technology for Economy Revitalization): "
            "selected regions with very high potential build an internationally competitive base agglomerating "
            "universities, public institutions and R&D companies, planned by the local governments. MEXT subsidises "
            "the central project organisation appointed by the local government, about ¥500 million per year per "
            "region for 5 years (FY2002 budget ¥6 billion). Each cluster sets up a headquarters (President, "
            "Program Director, Research Director) with science and technology coordinators and advisers such as "
            "patent attorneys. After feasibility studies in 30 areas in FY2001, 10 areas (12 smaller parts) were "
            "appointed in FY2002 and started in July; by 2003, 13 clusters (15 regions) plus 3 trial regions "
            "(¥100 million per year, up to 3 years)."
        ),
        source_note=f"{SEED_MEXT_JA}; {SEED_MEXT_EN}; {SEED_MEXT_CLUSTER}",
    ),
    ProgrammeSpec(
        code=KC2,
        name_ja="知的クラスター創成事業（第Ⅱ期）",
        name_en="Knowledge Cluster Initiative (Phase II)",
        ministry=Ministry.MEXT,
        phase="II",
        start_fy=2007,
        end_fy=None,
        description_ja=(
            "知的クラスター創成事業の第Ⅱ期。2007年度に6地域、2008年度に3地域を選定。第Ⅰ期の成果を基に、"
            "世界レベルのクラスター形成を目指す。"
        ),
        description_en=(
            "The second phase of the Knowledge Cluster Initiative: 6 regions selected in FY2007 and 3 in FY2008, "
            "building on phase I towards world-class clusters."
        ),
        source_note="program-lists/mext_knowledge_cluster_regions.csv (MEXT press releases)",
    ),
    ProgrammeSpec(
        code=CITY_AREA,
        name_ja="都市エリア産学官連携促進事業",
        name_en="City Area Program for Industry-Academia-Government Collaboration",
        ministry=Ministry.MEXT,
        phase="",
        start_fy=2002,
        end_fy=None,
        description_ja=(
            "知的クラスターよりも地理的に小さなエリア（都市エリア）に着目し、自治体の主体性、地域の個性発揮を重視して、"
            "大学等を核とする産学官連携を促進する。自治体の指定する中核財団等を事業の実施主体とし補助"
            "（1地域当たり年間1億円程度×3年間）。シーズ探索のための科学技術コーディネータの派遣、産学官共同研究、"
            "企業化に向けた共同育成研究を行う。2002年7月に19エリアを選定。2002年度予算25億円、2003年度予算31億円。"
        ),
        description_en=(
            "The CITY AREA program (Cooperation of Innovative Technology and Advanced Research in Evolutional Area) "
            "promotes industry-academy-public cooperative research led by universities in areas smaller than the "
            "knowledge clusters, focusing on each region's character, the excellence of the research theme and the "
            "initiative of the local government. MEXT subsidises the central project organisation appointed by the "
            "prefecture, about ¥100 million per year per area for 3 years, and dispatches science and technology "
            "coordinators to explore seeds. 19 areas selected in July 2002; budget ¥2.5 billion in FY2002 and "
            "¥3.1 billion in FY2003."
        ),
        source_note=f"{SEED_MEXT_JA}; {SEED_MEXT_EN}",
    ),
]

PROGRAMME_CODES = [programme.code for programme in PROGRAMMES]


# --- Budgets ------------------------------------------------------------------------------------

KC_BUDGET = BudgetPlan(5 * OKU, 5, True, "typical amount: about ¥500 million per region per year × 5 years (seeds)")
KC_TRIAL_BUDGET = BudgetPlan(1 * OKU, 3, True, "trial region: ¥100 million per year, up to 3 years (seeds)")
KC2_BUDGET = BudgetPlan(
    5 * OKU, 5, True, "phase I typical amount (¥500 million/yr × 5 yrs); the seeds give no phase II figure"
)
CITY_AREA_BUDGET = BudgetPlan(
    1 * OKU, 3, True, "typical amount: about ¥100 million per area per year × 3 years (seeds)"
)
CITY_AREA_ADVANCED_BUDGET = BudgetPlan(
    2 * OKU, 3, True, "発展型: about ¥200 million per year (MEXT outline, formats.md §7), 3 years assumed"
)


# --- Industrial Cluster phase I: the 19 projects by bureau (seeds/003) ------------------------------
# (code, bureau, name_ja, name_en, fields, prefectures, field label, companies, universities)
# The seed gives the English names and counts; the Japanese names are the team's rendering.

KANTO_WIDE = ["08", "09", "10", "11", "12", "13", "14", "19", "20", "22"]
TOHOKU = ["02", "03", "04", "05", "06", "07"]
KINKI = ["18", "25", "26", "27", "28", "29", "30"]
CHUGOKU = ["31", "32", "33", "34", "35"]
SHIKOKU = ["36", "37", "38", "39"]
KYUSHU = ["40", "41", "42", "43", "44", "45", "46"]

IC1_PROJECTS: list[tuple[str, str, str, str, list[str], list[str], str, int, int]] = [
    ("ic1-hokkaido-super-cluster", "hokkaido", "北海道スーパー・クラスター振興戦略",
     "Hokkaido Super Cluster Promotion Project", ["it", "life-science"], ["01"],
     "Biotechnology/IT fields", 280, 15),
    ("ic1-tohoku-aging-society", "tohoku", "高齢化社会対応産業振興プロジェクト",
     "Project to Promote Industries Corresponding to Aging Society", ["medical-welfare", "it", "life-science"],
     TOHOKU, "Health and welfare fields (IT, biotechnology, manufacturing, etc.)", 180, 19),
    ("ic1-tohoku-recycling-society", "tohoku", "循環型社会対応産業振興プロジェクト",
     "Project to Promote Industries Corresponding to Recycling-Oriented Society", ["environment"],
     TOHOKU, "Environmental fields", 200, 17),
    ("ic1-kanto-regional-industry", "kanto", "地域産業活性化プロジェクト",
     "Regional Industry Revitalization Project", ["manufacturing"], KANTO_WIDE,
     "Manufacturing fields (TAMA, Chuo Expressway, Tokatsu/Kawaguchi, Sanennanshin, Northern Tokyo metropolitan "
     "area)", 1590, 50),
    ("ic1-kanto-bio-ventures", "kanto", "バイオベンチャー育成", "Fostering Bio-Ventures", ["life-science"],
     ["13", "14", "11", "12", "08"], "Biotechnology field", 170, 9),
    ("ic1-kanto-it-ventures", "kanto", "情報ベンチャー育成（ITベンチャーフォーラム）", "IT Venture Forum", ["it"],
     ["13", "14", "11", "12"], "IT field", 170, 0),
    ("ic1-chubu-tokai-manufacturing", "chubu", "東海ものづくり創生プロジェクト",
     "Project to Create Manufacturing Industry in Tokai Region", ["manufacturing", "automotive"],
     ["21", "23", "24"], "Manufacturing fields", 480, 28),
    ("ic1-chubu-hokuriku-manufacturing", "chubu", "北陸ものづくり創生プロジェクト",
     "Project to Create Manufacturing Industry in Hokuriku Region", ["manufacturing"], ["16", "17"],
     "Manufacturing fields", 120, 11),
    ("ic1-chubu-digital-bit", "chubu", "デジタルビット産業創生プロジェクト", "Project to Create Digital Bit Industry",
     ["it"], ["21", "23", "24"], "IT fields", 90, 10),
    ("ic1-kinki-bio", "kinki", "近畿バイオ関連産業プロジェクト（バイオ・ファイブスターカンパニー＆組織工学）",
     "Bio Five-Star Company & Tissue Engineering Project", ["life-science"], KINKI, "Bio-related fields", 220, 36),
    ("ic1-kinki-manufacturing", "kinki", "ものづくり元気企業支援プロジェクト", "Active Manufacturing Industry Support Project",
     ["manufacturing"], KINKI, "Manufacturing fields", 360, 25),
    ("ic1-kinki-it", "kinki", "関西情報系ビジネス振興プロジェクト", "Kansai Information Technology Business Promotion Project",
     ["it"], KINKI, "IT fields", 260, 4),
    ("ic1-kinki-energy-environment", "kinki", "関西エネルギー・環境クラスター振興プロジェクト",
     "Kansai Energy & Environment Cluster Promotion Project", ["energy", "environment"], KINKI, "Energy fields",
     120, 20),
    ("ic1-chugoku-machinery", "chugoku", "中国地域機械産業新生プロジェクト",
     "Project to Newly Generate the Machinery Industry in the Chugoku Region", ["manufacturing", "automotive"],
     CHUGOKU, "Manufacturing fields", 100, 10),
    ("ic1-chugoku-circulative", "chugoku", "循環型産業形成プロジェクト", "Project to Form a Circulative Type of Industry",
     ["environment"], CHUGOKU, "Environmental fields", 80, 9),
    ("ic1-shikoku-techno-bridge", "shikoku", "四国テクノブリッジ計画", "Shikoku Techno Bridge Plan",
     ["medical-welfare", "environment"], SHIKOKU, "Health and welfare/environmental fields", 240, 5),
    ("ic1-kyushu-k-rip", "kyushu", "九州地域環境・リサイクル産業交流プラザ（K-RIP）",
     "Kyushu Recycle and Environmental Industry Plaza (K-RIP)", ["environment"], KYUSHU, "Environmental fields",
     190, 18),
    ("ic1-kyushu-silicon", "kyushu", "九州シリコン・クラスター計画", "Kyushu Silicon Cluster Plan", ["semiconductors"],
     KYUSHU, "Semiconductor fields", 150, 23),
    ("ic1-okinawa", "okinawa", "沖縄産業振興プロジェクト", "Okinawa Industry Promotion Project",
     ["it", "life-science", "environment"], ["47"], "Information/health/environmental/processing trade fields",
     110, 1),
]  # fmt: skip

# Extra facts the seeds give about single phase I projects.
IC1_NOTES_EN = {
    "ic1-hokkaido-super-cluster": (
        " Participating companies FY2001-2002: IT about 230, biotechnology about 50. Local governments: Hokkaido "
        "Prefecture and Sapporo City; 15 universities; 5 public research institutes; 5 business incubators; 44 fund "
        "suppliers. Activities (FY2002): technological database publishing the capabilities of 458 IT/biotechnology "
        "companies; business and technology exchange meetings (about 700 participants); Partners Outside Hokkaido "
        "(683 organisations, including 40 venture capital companies). Results: 32 university-based ventures (12 IT, "
        "15 bio), 5 IT companies went public, chondroitin sulfate from salmon heads commercialised. Hokkaido IT "
        "Cluster Forum (chairman of the working council: Akinori Takahashi, Data Craft) and Hokkaido Bio-Cluster "
        "Forum (chairman: Ken-ichi Kosuna, Amino Up Chemical)."
    ),
    "ic1-kanto-regional-industry": (
        " TAMA (Project to Revitalize Industry in the TAMA): about 260 participating companies; 17 local "
        "governments, 27 universities, 3 public research institutes, 3 business incubators, 84 fund suppliers. "
        "FY2002: 289 coordinator dispatches to 55 companies; ordering-exchange and technology presentation meetings "
        "(about 900 participants); Mini-TAMA Councils; web site with 2,000-3,000 hits a day (100,000 a month). "
        "Greater Tokyo Initiative, chairman Yuji Furukawa (Tokyo University of Agriculture and Technology)."
    ),
    "ic1-kinki-bio": (
        " About 220 participating companies; 9 local governments, 36 universities, 14 public research institutes, "
        "20 business incubators, 24 fund suppliers. FY2002: workshops and seminars (about 2,300 participants), "
        "technology presentation and exchange meetings (about 380), 51 e-mail magazines a year (17,800 in total). "
        "Public support FY2001-2002: ¥3.18 billion in 96 cases (81 companies, 93 universities). Kinki Bio "
        "Industrial Cluster Council / Kinki Bio-Industry Development Organization, chairman Masanao Shimizu "
        "(Dainippon Pharmaceutical)."
    ),
    "ic1-kinki-it": " The seed document counts only 4 universities here.",
    "ic1-kanto-it-ventures": " The seed document gives no university count for this project.",
    "ic1-okinawa": " One participating university.",
}


def _ic1_specs() -> list[ClusterSpec]:
    specs = []
    for code, bureau, name_ja, name_en, fields, prefs, label, companies, universities in IC1_PROJECTS:
        counts_en = f"about {companies:,} companies" + (f" and {universities} universities" if universities else "")
        counts_ja = f"約{companies:,}社" + (f"・{universities}大学" if universities else "")
        specs.append(
            ClusterSpec(
                code=code,
                programme=IC1,
                name_ja=name_ja,
                name_en=name_en,
                bureau=bureau,
                prefectures=list(prefs),
                fields=fields,
                region_label=f"{bureau.capitalize()} Bureau of Economy, Trade and Industry",
                theme=label,
                start_fy=2001,
                end_fy=2005,
                description_ja=f"産業クラスター計画第Ⅰ期のプロジェクト。{label}：{counts_ja}（2003年時点の資料）。",
                description_en=f"Industrial Cluster Program phase I project. {label}: {counts_en} (as of 2003)."
                + IC1_NOTES_EN.get(code, ""),
                source_note=f"{SEED_METI_2003}: English name and counts; Japanese name is the team's rendering",
                companies=companies,
                universities=universities,
            )
        )
    specs[-1].region_label = "Department of Economy, Trade and Industry, Okinawa General Bureau"
    return specs


# --- Industrial Cluster phase II: program-lists/meti_industrial_cluster_phase2.csv -----------------
# keyed by the list's project name: (code, name_en from seeds/001, fields, prefectures, predecessors)

IC2_ENRICHMENT: dict[str, tuple[str, str, list[str], list[str], list[str]]] = {
    "北海道スーパー・クラスター振興戦略": ("ic2-hokkaido-super-cluster", "HOKKAIDO Super Cluster Promotion Project II",
                                  ["it", "life-science"], ["01"], ["ic1-hokkaido-super-cluster"]),
    "TOHOKUものづくりコリドー": ("ic2-tohoku-manufacturing-corridor", "TOHOKU Manufacturing Corridor",
                          ["automotive", "semiconductors", "medical-welfare", "manufacturing"], TOHOKU,
                          ["ic1-tohoku-aging-society", "ic1-tohoku-recycling-society"]),
    "地域産業活性化プロジェクト (TAMA, 東葛川口つくば, 中央自動車道沿線, 三遠南信, 首都圏北部, 京浜)": (
        "ic2-kanto-regional-industry", "Regional Industry Revitalization Project", ["manufacturing"], KANTO_WIDE,
        ["ic1-kanto-regional-industry"]),
    "バイオベンチャー育成 (首都圏バイオ・ゲノムベンチャーネットワーク)": ("ic2-kanto-bio-ventures", "Fostering Bio-ventures",
                                                ["life-science"], ["13", "14", "11", "12", "08"],
                                                ["ic1-kanto-bio-ventures"]),
    "情報ベンチャー育成 (首都圏情報ベンチャーフォーラム)": ("ic2-kanto-it-ventures", "Fostering IT Ventures", ["it"],
                                         ["13", "14", "11", "12"], ["ic1-kanto-it-ventures"]),
    "東海ものづくり創生プロジェクト": ("ic2-tokai-monozukuri", "TOKAI Monozukuri Revitalization Project",
                         ["manufacturing", "automotive", "robotics"], ["21", "23", "24"],
                         ["ic1-chubu-tokai-manufacturing", "ic1-chubu-digital-bit"]),
    "東海バイオものづくり創生プロジェクト": ("ic2-tokai-bio-monozukuri", "TOKAI Bio-Monozukuri Revitalization Project",
                            ["life-science", "manufacturing"], ["21", "23", "24"], []),
    "北陸ものづくり創生プロジェクト": ("ic2-hokuriku-monozukuri", "HOKURIKU Monozukuri Revitalization Project",
                         ["manufacturing"], ["16", "17"], ["ic1-chubu-hokuriku-manufacturing"]),
    "関西フロントランナープロジェクト": ("ic2-kansai-front-runner", "KANSAI Front Runner Project “Neo Cluster”",
                          ["manufacturing", "robotics", "fuel-cells", "it"], KINKI,
                          ["ic1-kinki-manufacturing", "ic1-kinki-it"]),
    "関西バイオクラスタープロジェクト": ("ic2-kansai-bio-cluster", "KANSAI Bio-Cluster Project “Bio Cluster”",
                          ["life-science"], KINKI, ["ic1-kinki-bio"]),
    "関西エネルギー・環境クラスタープロジェクト": ("ic2-kansai-green", "Environment Business KANSAI Project “Green”",
                               ["energy", "environment"], KINKI, ["ic1-kinki-energy-environment"]),
    "次世代中核産業形成プロジェクト": ("ic2-chugoku-next-generation", "Next Generation Key Industry Creation Project",
                         ["manufacturing", "automotive"], CHUGOKU, ["ic1-chugoku-machinery"]),
    "循環・環境型社会形成プロジェクト": ("ic2-chugoku-recycling-environment",
                          "Recycling-oriented and Environment-friendly Society Establishing Project", ["environment"],
                          CHUGOKU, ["ic1-chugoku-circulative"]),
    "四国テクノブリッジ計画": ("ic2-shikoku-techno-bridge", "SHIKOKU Techno-bridge Project",
                     ["medical-welfare", "environment"], SHIKOKU, ["ic1-shikoku-techno-bridge"]),
    "九州地域環境・リサイクル産業交流プラザ (K-RIP)": ("ic2-kyushu-k-rip", "Kyushu Recycle and Environmental Industry Plaza (K-RIP)",
                                       ["environment"], KYUSHU, ["ic1-kyushu-k-rip"]),
    "九州シリコン・クラスター計画": ("ic2-kyushu-silicon", "Kyushu Silicon Cluster Project", ["semiconductors"], KYUSHU,
                        ["ic1-kyushu-silicon"]),
    "OKINAWA型産業振興プロジェクト": ("ic2-okinawa", "OKINAWA Industry Promotion Project", ["it", "life-science"],
                            ["47"], ["ic1-okinawa"]),
}  # fmt: skip

BUREAU_OF_LIST_NAME = {
    "北海道": "hokkaido",
    "東北": "tohoku",
    "関東": "kanto",
    "中部": "chubu",
    "近畿": "kinki",
    "中国": "chugoku",
    "四国": "shikoku",
    "九州": "kyushu",
    "沖縄": "okinawa",
}


# --- Knowledge Cluster: program-lists/mext_knowledge_cluster_regions.csv + seeds ------------------
# keyed by the list's cluster name (or region when the name is missing):
# (code, name_en, prefectures, fields, bureau, seed label or "", trial)

KC_ENRICHMENT: dict[str, tuple[str, str, list[str], list[str], str, str, bool]] = {
    # phase II
    'さっぽろバイオクラスター構想 "Bio-S"': ("kc2-sapporo-bio-s", "Sapporo Bio-Cluster “Bio-S”", ["01"], ["life-science"],
                                    "hokkaido", "", False),
    "先進予防型健康社会創成仙台クラスター": ("kc2-sendai", "Sendai Cluster for an Advanced Preventive Health Society", ["04"],
                           ["life-science", "it"], "tohoku", "", False),
    "信州スマートデバイスクラスター": ("kc2-shinshu-smart-device", "Shinshu Smart Device Cluster", ["20"],
                        ["nanotech-materials", "it"], "kanto", "", False),
    "浜松オプトロニクスクラスター|II": ("kc2-hamamatsu-optronics", "Hamamatsu Optronics Cluster", ["22"], ["optronics"],
                           "kanto", "", False),
    "関西広域バイオメディカルクラスター": ("kc2-kansai-biomedical", "Kansai Wide-Area Biomedical Cluster", ["27", "28"],
                          ["life-science"], "kinki", "", False),
    "福岡先端システムLSI開発クラスター": ("kc2-fukuoka-system-lsi", "Fukuoka Advanced System LSI Development Cluster",
                          ["40"], ["semiconductors", "it"], "kyushu", "", False),
    "東海広域ナノテクものづくりクラスター": ("kc2-tokai-nanotech", "Tokai Wide-Area Nanotech Manufacturing Cluster",
                           ["23", "21"], ["nanotech-materials", "environment", "manufacturing"], "chubu", "", False),
    "ほくりく健康創造クラスター": ("kc2-hokuriku-health", "Hokuriku Health Creation Cluster", ["16", "17"],
                      ["life-science"], "chubu", "", False),
    "京都およびけいはんな学研地域 (京都府・京都市)": ("kc2-kyoto-keihanna", "", ["26"], ["environment", "nanotech-materials"],
                                 "kinki", "", False),
    # phase I: the seeds' 15 regions (13 clusters) and 3 trial regions
    "札幌ITカロッツェリア": ("kc1-sapporo", "Sapporo IT Carrozzeria", ["01"], ["it"], "hokkaido", "Sapporo [IT]", False),
    "仙台サイバーフォレストクラスター": ("kc1-sendai", "Sendai Cyber Forest Cluster", ["04"], ["it"], "tohoku",
                         "Sendai [IT]", False),
    "長野・上田スマートデバイスクラスター": ("kc1-nagano-ueda", "Nagano-Ueda Smart Device Cluster", ["20"],
                           ["nanotech-materials"], "kanto", "Nagano-Ueda [Nanotechnology]", False),
    "浜松オプトロニクスクラスター|I": ("kc1-hamamatsu", "Hamamatsu Optronics Cluster", ["22"],
                          ["optronics", "it", "life-science"], "kanto", "Hamamatsu [IT, Life Science]", False),
    "名古屋ナノテクものづくりクラスター": ("kc1-nagoya", "Nagoya Nanotech Manufacturing Cluster", ["23"],
                          ["nanotech-materials", "manufacturing"], "chubu", "Nagoya [Nanotechnology]", False),
    "岐阜・大垣ロボティック先端医療クラスター": ("kc1-gifu-ogaki", "Gifu-Ogaki Robotic Advanced Medical Cluster", ["21"],
                              ["robotics", "medical-welfare", "life-science"], "chubu",
                              "Gifu-Ogaki [Life Science], trial region", True),
    "とやま医薬バイオクラスター": ("kc1-toyama-takaoka", "Toyama Medical and Pharmaceutical Bio Cluster", ["16"],
                      ["life-science"], "chubu", "Toyama-Takaoka [Life Science]", False),
    "石川ハイテク・センシング・クラスター": ("kc1-kanazawa", "Ishikawa High-Tech Sensing Cluster", ["17"],
                           ["sensing", "life-science"], "chubu", "Kanazawa [Life Science], trial region", True),
    "京都ナノテククラスター": ("kc1-kyoto", "Kyoto Nanotech Cluster", ["26"], ["nanotech-materials"], "kinki",
                    "Kyoto [Nanotechnology]", False),
    "けいはんなヒューマン・エルキューブ": ("kc1-keihanna", "Keihanna Human L-cube", ["26", "27", "29"],
                          ["it", "life-science"], "kinki", "Keihanna [IT, Life Science]", False),
    "彩都バイオメディカルクラスター": ("kc1-osaka-saito", "Saito Biomedical Cluster", ["27"], ["life-science"], "kinki",
                        "Osaka [Life Science], part of the Kansai Greater Cluster", False),
    "神戸トランスレーショナルリサーチクラスター": ("kc1-kobe", "Kobe Translational Research Cluster", ["28"],
                               ["life-science"], "kinki", "Kobe [Life Science], part of the Kansai Greater Cluster",
                               False),
    "広島バイオクラスター": ("kc1-hiroshima", "Hiroshima Bio Cluster", ["34"], ["life-science"], "chugoku",
                   "Hiroshima [Life Science]", False),
    "やまぐち・うべ・メディカル・イノベーション・クラスター": ("kc1-ube", "Yamaguchi-Ube Medical Innovation Cluster", ["35"],
                                      ["medical-welfare", "life-science"], "chugoku",
                                      "Ube [Life Science], trial region", True),
    "徳島健康・医療クラスター": ("kc1-tokushima", "Tokushima Health and Medical Cluster", ["36"],
                     ["life-science", "medical-welfare"], "shikoku", "Tokushima [Life Science]", False),
    "高松希少糖バイオクラスター": ("kc1-takamatsu", "Takamatsu Rare Sugar Bio Cluster", ["37"], ["life-science"],
                      "shikoku", "Takamatsu [Life Science]", False),
    "北九州ヒューマンテクノクラスター": ("kc1-kitakyushu", "Kitakyushu Human-Technology Cluster", ["40"],
                         ["it", "robotics"], "kyushu", "Kitakyushu [IT], part of the Kyushu Greater Cluster", False),
    "福岡システムLSI設計開発クラスター": ("kc1-fukuoka", "Fukuoka System LSI Design and Development Cluster", ["40"],
                           ["semiconductors", "it"], "kyushu", "Fukuoka [IT], part of the Kyushu Greater Cluster",
                           False),
}  # fmt: skip


# --- City Area: the 19 areas of FY2002 (seeds/002 and /000) ---------------------------------------
# (code, name_ja, name_en, prefectures, fields, seed field label)

CITY_AREA_2002: list[tuple[str, str, str, list[str], list[str], str]] = [
    ("ca2002-tsukuba", "筑波研究学園都市エリア", "Tsukuba Science City Area", ["08"], ["it"], "情報通信"),
    (
        "ca2002-osaka-izumi",
        "大阪／和泉エリア",
        "Osaka/Izumi Area",
        ["27"],
        ["nanotech-materials", "it"],
        "ナノテク・材料、情報通信",
    ),
    ("ca2002-kumamoto", "熊本エリア", "Kumamoto Area", ["43"], ["nanotech-materials"], "ナノテク・材料"),
    ("ca2002-okayama-west", "岡山西部エリア", "Okayama-West Area", ["33"], ["manufacturing"], "製造技術"),
    ("ca2002-kiryu-ota", "桐生・太田エリア", "Kiryu-Ota Area", ["10"], ["nanotech-materials"], "ナノテク・材料"),
    (
        "ca2002-kasumigaura",
        "霞ヶ浦南岸新興都市エリア",
        "Kasumigaura Area",
        ["08"],
        ["environment", "energy"],
        "環境、エネルギー",
    ),
    (
        "ca2002-central-shizuoka",
        "静岡中部エリア",
        "Central Shizuoka Area",
        ["22"],
        ["life-science"],
        "ライフサイエンス",
    ),
    ("ca2002-niigata", "新潟エリア", "Niigata Area", ["15"], ["life-science"], "ライフサイエンス"),
    ("ca2002-toyohashi", "豊橋エリア", "Toyohashi Area", ["23"], ["it"], "情報通信"),
    (
        "ca2002-shinji-nakaumi",
        "宍道湖・中海エリア",
        "Lake Shinji and Lake Nakaumi Area",
        ["32"],
        ["environment"],
        "環境",
    ),
    (
        "ca2002-harima",
        "播磨エリア",
        "Harima Area",
        ["28"],
        ["nanotech-materials", "manufacturing"],
        "ナノテク・材料、製造技術",
    ),
    ("ca2002-chiba-tokatsu", "千葉・東葛エリア", "Chiba-Tokatsu Area", ["12"], ["life-science"], "ライフサイエンス"),
    ("ca2002-kagoshima", "鹿児島市エリア", "Kagoshima City Area", ["46"], ["life-science"], "ライフサイエンス"),
    ("ca2002-matsuyama", "松山エリア", "Matsuyama Area", ["38"], ["manufacturing"], "製造技術"),
    ("ca2002-central-oita", "大分県央エリア", "Central Oita Area", ["44"], ["life-science"], "ライフサイエンス"),
    ("ca2002-hachinohe", "八戸エリア", "Hachinohe Area", ["02"], ["energy"], "エネルギー"),
    (
        "ca2002-yamagata-yonezawa",
        "山形・米沢エリア",
        "Yamagata-Yonezawa Area",
        ["06"],
        ["nanotech-materials"],
        "ナノテク・材料",
    ),
    ("ca2002-koriyama", "郡山エリア", "Koriyama Area", ["07"], ["life-science"], "ライフサイエンス"),
    (
        "ca2002-kitakami",
        "北上川流域エリア",
        "Kitakami River Basin Area",
        ["03"],
        ["nanotech-materials"],
        "ナノテク・材料",
    ),
]

# --- City Area: program-lists/mext_city_area_partial.csv ---------------------------------------------
# keyed by area: (code slug, name_en, fields); prefectures come from the list's own column.

CITY_AREA_ENRICHMENT: dict[str, tuple[str, str, list[str]]] = {
    "むつ小川原・八戸エリア": ("mutsu-ogawara-hachinohe", "Mutsu-Ogawara and Hachinohe Area", ["optronics"]),
    "ふくい若狭エリア": ("fukui-wakasa", "Fukui Wakasa Area", ["energy"]),
    "みやざき臨海エリア": ("miyazaki-coastal", "Miyazaki Coastal Area", ["marine-bio", "food-agriculture"]),
    "沖縄沿岸海域エリア": ("okinawa-coastal", "Okinawa Coastal Waters Area", ["marine-bio"]),
    "千葉・東葛エリア": ("chiba-tokatsu", "Chiba-Tokatsu Area", ["life-science", "medical-welfare"]),
    "東濃西部エリア": ("western-tono", "Western Tono Area", ["nanotech-materials", "environment"]),
    "三重・伊勢湾岸エリア": ("mie-ise-bay", "Mie Ise Bay Coast Area", ["energy", "nanotech-materials"]),
    "関西文化学術研究都市及びその周辺エリア": ("keihanna", "Kansai Science City and Surrounding Area",
                            ["sensing", "medical-welfare"]),
    "広島圏域エリア": ("greater-hiroshima", "Greater Hiroshima Area", ["life-science", "food-agriculture"]),
    "高松エリア": ("takamatsu", "Takamatsu Area", ["life-science", "food-agriculture"]),
    "鶴岡庄内エリア": ("tsuruoka-shonai", "Tsuruoka Shonai Area", ["food-agriculture"]),
    "石川県央・北部エリア": ("central-northern-ishikawa", "Central and Northern Ishikawa Area", ["food-agriculture"]),
    "和歌山県紀北紀中エリア": ("wakayama-kihoku-kichu", "Wakayama Kihoku-Kichu Area", ["food-agriculture"]),
    "宍道湖・中海エリア": ("shinji-nakaumi", "Lake Shinji and Lake Nakaumi Area", ["environment", "nanotech-materials"]),
    "十勝エリア": ("tokachi", "Tokachi Area", ["food-agriculture", "life-science"]),
    "かずさ・千葉エリア": ("kazusa-chiba", "Kazusa-Chiba Area", ["life-science"]),
    "岐阜県南部エリア": ("southern-gifu", "Southern Gifu Area", ["medical-welfare"]),
    "米代川流域エリア": ("yoneshiro-river", "Yoneshiro River Basin Area", ["biomass", "environment"]),
    "神奈川東部臨海エリア": ("eastern-kanagawa-coastal", "Eastern Kanagawa Coastal Area",
                    ["nanotech-materials", "environment"]),
    "山梨くになかエリア": ("yamanashi-kuninaka", "Yamanashi Kuninaka Area", ["energy"]),
    "米子・境港エリア": ("yonago-sakaiminato", "Yonago-Sakaiminato Area", ["food-agriculture", "life-science"]),
    "小野田・下関エリア": ("onoda-shimonoseki", "Onoda-Shimonoseki Area", ["nanotech-materials"]),
    "函館エリア": ("hakodate", "Hakodate Area", []),
    "弘前エリア": ("hirosaki", "Hirosaki Area", ["life-science"]),
    "秋田県央エリア": ("central-akita", "Central Akita Area", ["food-agriculture"]),
    "埼玉・圏央エリア": ("saitama-ken-o", "Saitama Ken-O Area", ["life-science"]),
    "横浜内陸部エリア": ("yokohama-inland", "Yokohama Inland Area", ["manufacturing", "semiconductors"]),
    "大阪中央エリア": ("central-osaka", "Central Osaka Area", ["nanotech-materials", "it"]),
    "いわて県央・釜石エリア": ("central-iwate-kamaishi", "Central Iwate and Kamaishi Area", []),
}  # fmt: skip

PREFECTURE_BUREAU = {
    **dict.fromkeys(["01"], "hokkaido"),
    **dict.fromkeys(TOHOKU, "tohoku"),
    **dict.fromkeys(["08", "09", "10", "11", "12", "13", "14", "15", "19", "20", "22"], "kanto"),
    **dict.fromkeys(["16", "17", "21", "23", "24"], "chubu"),
    **dict.fromkeys(KINKI, "kinki"),
    **dict.fromkeys(CHUGOKU, "chugoku"),
    **dict.fromkeys(SHIKOKU, "shikoku"),
    **dict.fromkeys(KYUSHU, "kyushu"),
    **dict.fromkeys(["47"], "okinawa"),
}


def read_program_list(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return [{key: (value or "").strip() for key, value in row.items()} for row in csv.DictReader(handle)]


def _list_note(file: str, row: dict[str, str]) -> str:
    note = f"program-lists/{file}: {row['source']}"
    if row["verified"] not in {"Y", "U"}:
        note += f" [verified: {row['verified']}]"
    return note[:300]


def _fiscal_year(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) == 4 else None


def _ic2_specs() -> list[ClusterSpec]:
    specs = []
    file = "meti_industrial_cluster_phase2.csv"
    for index, row in enumerate(read_program_list(file), start=1):
        code, name_en, fields, prefs, predecessors = IC2_ENRICHMENT.get(
            row["project"], (f"ic2-project-{index}", "", [], [], [])
        )
        bureau = BUREAU_OF_LIST_NAME.get(row["bureau"], "")
        description_en = "Industrial Cluster Program phase II project (FY2006-2010)."
        if row["participants_note"]:
            description_en += f" Participants: {row['participants_note']}."
        specs.append(
            ClusterSpec(
                code=code,
                programme=IC2,
                name_ja=row["project"],
                name_en=name_en,
                bureau=bureau,
                prefectures=list(prefs) or [p for p, b in PREFECTURE_BUREAU.items() if b == bureau],
                fields=fields,
                region_label=row["bureau"],
                theme=row["field"],
                start_fy=2006,
                end_fy=2010,
                description_ja="産業クラスター計画第Ⅱ期（2006〜2010年度）のプロジェクト。",
                description_en=description_en,
                verified=row["verified"] == "Y",
                source=RecordSource.PROGRAM_LIST,
                source_note=_list_note(file, row),
                predecessors=predecessors,
                generated_members=150,
            )
        )
    return specs


def _kc_specs() -> list[ClusterSpec]:
    specs = []
    file = "mext_knowledge_cluster_regions.csv"
    for index, row in enumerate(read_program_list(file), start=1):
        phase = row["phase"]
        key = row["cluster_name"] or row["region"]
        enrichment = KC_ENRICHMENT.get(f"{key}|{phase}") or KC_ENRICHMENT.get(key)
        code, name_en, prefs, fields, bureau, seed_label, trial = enrichment or (
            f"kc{phase.lower()}-region-{index}",
            "",
            [],
            [],
            "",
            "",
            False,
        )
        name_ja = row["cluster_name"]
        if not name_ja:
            name_ja = f"{row['region']}（クラスター名未確認）"
            name_en = name_en or "Kyoto and Keihanna Science City region (cluster name unconfirmed)"
        start_fy = _fiscal_year(row["start_fy"])
        programme = KC1 if phase == "I" else KC2
        if programme == KC1:
            # The list leaves each region's first year open (designated FY2002-2004); the demo uses
            # the programme's first year so that budgets can be shown.
            start_fy = start_fy or 2002
            budget = KC_TRIAL_BUDGET if trial else KC_BUDGET
        else:
            budget = KC2_BUDGET
        years = budget.years
        description_en = "Knowledge Cluster Initiative phase " + phase + f" ({row['region']})."
        description_ja = f"知的クラスター創成事業 第{'Ⅰ' if phase == 'I' else 'Ⅱ'}期（{row['region']}）。"
        source_note = _list_note(file, row)
        if seed_label:
            description_en += f" In the seed documents: {seed_label}."
            if trial:
                description_en += " Trial region: ¥100 million per year for up to 3 years."
                description_ja += "試行地域（1地域当たり年間1億円、3年間支援）。"
            source_note = f"{source_note}; also {SEED_MEXT_EN.split(' ')[0]}, {SEED_MEXT_JA.split(' ')[0]}"[:300]
        if programme == KC1 and row["start_fy"] and not row["start_fy"].isdigit():
            description_en += f" List note on the period: {row['start_fy']}."
        specs.append(
            ClusterSpec(
                code=code,
                programme=programme,
                name_ja=name_ja,
                name_en=name_en,
                bureau=bureau,
                prefectures=list(prefs),
                fields=fields,
                region_label=row["region"],
                theme=row["field"],
                start_fy=start_fy,
                end_fy=start_fy + years - 1 if start_fy else None,
                description_ja=description_ja,
                description_en=description_en,
                is_trial=trial,
                verified=row["verified"] == "Y",
                source=RecordSource.PROGRAM_LIST,
                source_note=source_note,
                budget=budget,
                generated_members=40 if not trial else 15,
            )
        )
    return specs


def _prefectures_of(text: str, prefecture_codes: dict[str, str], municipality_prefectures: dict[str, str]) -> list:
    """Prefecture codes named in the City Area list's `prefecture_or_city` column (県, 府, 都, 道 or a city)."""
    codes: list[str] = []
    for token in text.split("・"):
        code = prefecture_codes.get(token) or municipality_prefectures.get(token)
        if code and code not in codes:
            codes.append(code)
    return codes


def _city_area_specs(prefecture_codes: dict[str, str], municipality_prefectures: dict[str, str]) -> list:
    specs = []
    for code, name_ja, name_en, prefs, fields, label in CITY_AREA_2002:
        specs.append(
            ClusterSpec(
                code=code,
                programme=CITY_AREA,
                name_ja=name_ja,
                name_en=name_en,
                bureau=PREFECTURE_BUREAU[prefs[0]],
                prefectures=prefs,
                fields=fields,
                region_label=name_ja,
                theme=label,
                start_fy=2002,
                end_fy=2004,
                description_ja=f"都市エリア産学官連携促進事業（2002年7月選定の19エリアの一つ）。分野：{label}。",
                description_en="City Area program, one of the 19 areas selected in July 2002.",
                source_note=f"{SEED_MEXT_JA}; {SEED_MEXT_EN}",
                budget=CITY_AREA_BUDGET,
                generated_members=15,
            )
        )
    file = "mext_city_area_partial.csv"
    for index, row in enumerate(read_program_list(file), start=1):
        slug, name_en, fields = CITY_AREA_ENRICHMENT.get(row["area"], (f"area-{index}", "", []))
        start_fy = _fiscal_year(row["start_fy"])
        end_fy = None
        if row["status_note"].startswith("ended FY"):
            end_fy = _fiscal_year(row["status_note"].removeprefix("ended FY")[:4])
        prefs = _prefectures_of(row["prefecture_or_city"], prefecture_codes, municipality_prefectures)
        kind_en = {"一般型": "general type", "発展型": "advanced type"}.get(row["type"], "type unconfirmed")
        description_en = f"City Area program, {kind_en}"
        description_en += f", selected FY{start_fy}." if start_fy else "; first fiscal year unconfirmed."
        if row["status_note"]:
            description_en += f" {row['status_note'].capitalize()}."
        specs.append(
            ClusterSpec(
                code=f"ca{start_fy or 'x'}-{slug}",
                programme=CITY_AREA,
                name_ja=row["area"],
                name_en=name_en,
                bureau=PREFECTURE_BUREAU.get(prefs[0], "") if prefs else "",
                prefectures=prefs,
                fields=fields,
                region_label=row["prefecture_or_city"],
                theme=row["theme"],
                start_fy=start_fy,
                end_fy=end_fy,
                description_ja=f"都市エリア産学官連携促進事業（{row['type'] if row['type'] != 'U' else '型未確認'}）。",
                description_en=description_en,
                verified=row["verified"] == "Y",
                source=RecordSource.PROGRAM_LIST,
                source_note=_list_note(file, row),
                budget=CITY_AREA_ADVANCED_BUDGET if row["type"] == "発展型" else CITY_AREA_BUDGET,
                generated_members=15,
            )
        )
    return specs


def cluster_specs(prefecture_codes: dict[str, str], municipality_prefectures: dict[str, str]) -> list[ClusterSpec]:
    """Every demo cluster, in a fixed order.

    `prefecture_codes` maps prefecture names (東京都) to JIS codes and `municipality_prefectures`
    maps municipality names (横浜市) to their prefecture's code, for the City Area list."""
    return [
        *_ic1_specs(),
        *_ic2_specs(),
        *_kc_specs(),
        *_city_area_specs(prefecture_codes, municipality_prefectures),
    ]
