# ruff: noqa: E501 -- data tables laid out one record per line (fmt: skip); Japanese text counts double width
"""Real organisations the seed documents name, and the clusters they appear in.

Only what the seeds say is used to place them; kinds, prefectures and municipalities are public
facts about each body. Corporate numbers are left empty: the demo never invents one for a real
organisation. A Japanese name is left empty where the seeds give only an English one that the
team could not render with confidence (the pages fall back to the English name).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from renkei.core.models import Visibility
from renkei.demo.programmes import SEED_METI_2003, SEED_METI_2006
from renkei.directory.choices import OrganisationKind as K
from renkei.programs.choices import MembershipRole as R


@dataclass(frozen=True)
class SeedOrganisation:
    key: str
    kind: str
    name_ja: str
    name_en: str
    name_kana: str
    prefecture: str | None
    municipality: str | None
    seed: str
    note: str = ""
    fields: tuple[str, ...] = ()
    # (cluster code, membership role)
    clusters: tuple[tuple[str, str], ...] = field(default_factory=tuple)


HOKKAIDO = ("ic1-hokkaido-super-cluster", "ic2-hokkaido-super-cluster")
TAMA = ("ic1-kanto-regional-industry", "ic2-kanto-regional-industry")
KINKI_BIO = ("ic1-kinki-bio", "ic2-kansai-bio-cluster")


def _in(codes: tuple[str, ...], role: str) -> tuple[tuple[str, str], ...]:
    return tuple((code, role) for code in codes)


S3 = SEED_METI_2003.split(" ")[0]
S1 = SEED_METI_2006.split(" ")[0]

BUREAU_CLUSTERS = {
    "hokkaido": ("ic1-hokkaido-super-cluster", "ic2-hokkaido-super-cluster"),
    "tohoku": ("ic1-tohoku-aging-society", "ic1-tohoku-recycling-society", "ic2-tohoku-manufacturing-corridor"),
    "kanto": TAMA + ("ic1-kanto-bio-ventures", "ic1-kanto-it-ventures", "ic2-kanto-bio-ventures", "ic2-kanto-it-ventures"),
    "chubu": ("ic1-chubu-tokai-manufacturing", "ic1-chubu-hokuriku-manufacturing", "ic1-chubu-digital-bit",
              "ic2-tokai-monozukuri", "ic2-tokai-bio-monozukuri", "ic2-hokuriku-monozukuri"),
    "kinki": KINKI_BIO + ("ic1-kinki-manufacturing", "ic1-kinki-it", "ic1-kinki-energy-environment",
                          "ic2-kansai-front-runner", "ic2-kansai-green"),
    "chugoku": ("ic1-chugoku-machinery", "ic1-chugoku-circulative", "ic2-chugoku-next-generation",
                "ic2-chugoku-recycling-environment"),
    "shikoku": ("ic1-shikoku-techno-bridge", "ic2-shikoku-techno-bridge"),
    "kyushu": ("ic1-kyushu-k-rip", "ic1-kyushu-silicon", "ic2-kyushu-k-rip", "ic2-kyushu-silicon"),
    "okinawa": ("ic1-okinawa", "ic2-okinawa"),
}  # fmt: skip

# The promotion organisation (HQ) of each cluster, where the seeds name one.
PROMOTION_ORGANISATIONS = {
    "ic1-kanto-regional-industry": "tama-association",
    "ic2-kanto-regional-industry": "tama-association",
    "ic1-kinki-bio": "kinki-bio",
    "ic2-kansai-bio-cluster": "kinki-bio",
}

SEED_ORGANISATIONS: list[SeedOrganisation] = [
    # Government
    SeedOrganisation("meti", K.MINISTRY, "経済産業省", "Ministry of Economy, Trade and Industry (METI)",
                     "ケイザイサンギョウショウ", "13", "131016", S3),
    SeedOrganisation("mext", K.MINISTRY, "文部科学省", "Ministry of Education, Culture, Sports, Science and Technology (MEXT)",
                     "モンブカガクショウ", "13", "131016", S1),
    SeedOrganisation("fsa", K.MINISTRY, "金融庁", "Financial Services Agency", "キンユウチョウ", "13", "131016", S3),
    SeedOrganisation("bureau-hokkaido", K.MINISTRY, "北海道経済産業局", "Hokkaido Bureau of Economy, Trade and Industry",
                     "ホッカイドウケイザイサンギョウキョク", "01", "011002", S3,
                     clusters=_in(BUREAU_CLUSTERS["hokkaido"], R.OBSERVER)),
    SeedOrganisation("bureau-tohoku", K.MINISTRY, "東北経済産業局", "Tohoku Bureau of Economy, Trade and Industry",
                     "トウホクケイザイサンギョウキョク", "04", "041009", S3,
                     clusters=_in(BUREAU_CLUSTERS["tohoku"], R.OBSERVER)),
    SeedOrganisation("bureau-kanto", K.MINISTRY, "関東経済産業局", "Kanto Bureau of Economy, Trade and Industry",
                     "カントウケイザイサンギョウキョク", "11", "111007", S3,
                     clusters=_in(BUREAU_CLUSTERS["kanto"], R.OBSERVER)),
    SeedOrganisation("bureau-chubu", K.MINISTRY, "中部経済産業局", "Chubu Bureau of Economy, Trade and Industry",
                     "チュウブケイザイサンギョウキョク", "23", "231002", S3,
                     clusters=_in(BUREAU_CLUSTERS["chubu"], R.OBSERVER)),
    SeedOrganisation("bureau-kinki", K.MINISTRY, "近畿経済産業局", "Kansai Bureau of Economy, Trade and Industry",
                     "キンキケイザイサンギョウキョク", "27", "271004", S3,
                     clusters=_in(BUREAU_CLUSTERS["kinki"], R.OBSERVER)),
    SeedOrganisation("bureau-chugoku", K.MINISTRY, "中国経済産業局", "Chugoku Bureau of Economy, Trade and Industry",
                     "チュウゴクケイザイサンギョウキョク", "34", "341002", S3,
                     clusters=_in(BUREAU_CLUSTERS["chugoku"], R.OBSERVER)),
    SeedOrganisation("bureau-shikoku", K.MINISTRY, "四国経済産業局", "Shikoku Bureau of Economy, Trade and Industry",
                     "シコクケイザイサンギョウキョク", "37", "372013", S3,
                     clusters=_in(BUREAU_CLUSTERS["shikoku"], R.OBSERVER)),
    SeedOrganisation("bureau-kyushu", K.MINISTRY, "九州経済産業局", "Kyushu Bureau of Economy, Trade and Industry",
                     "キュウシュウケイザイサンギョウキョク", "40", "401307", S3,
                     clusters=_in(BUREAU_CLUSTERS["kyushu"], R.OBSERVER)),
    SeedOrganisation("bureau-okinawa", K.MINISTRY, "内閣府沖縄総合事務局 経済産業部",
                     "Department of Economy, Trade and Industry, Okinawa General Bureau",
                     "ナイカクフオキナワソウゴウジムキョクケイザイサンギョウブ", "47", "472018", S3,
                     clusters=_in(BUREAU_CLUSTERS["okinawa"], R.OBSERVER)),
    SeedOrganisation("pref-hokkaido", K.LOCAL_GOVERNMENT, "北海道", "Hokkaido Prefecture", "ホッカイドウ", "01", None, S3,
                     clusters=_in(HOKKAIDO, R.SUPPORTER)),
    SeedOrganisation("city-sapporo", K.LOCAL_GOVERNMENT, "札幌市", "Sapporo City", "サッポロシ", "01", "011002", S3,
                     clusters=_in(HOKKAIDO + ("kc1-sapporo",), R.SUPPORTER)),
    SeedOrganisation("city-sayama", K.LOCAL_GOVERNMENT, "狭山市", "Sayama City", "サヤマシ", "11", "112151", S3,
                     clusters=_in(TAMA, R.SUPPORTER)),
    SeedOrganisation("city-hachioji", K.LOCAL_GOVERNMENT, "八王子市", "Hachioji City", "ハチオウジシ", "13", "132012", S3,
                     clusters=_in(TAMA, R.SUPPORTER)),
    SeedOrganisation("city-sagamihara", K.LOCAL_GOVERNMENT, "相模原市", "Sagamihara City", "サガミハラシ", "14", "141500",
                     S3, clusters=_in(TAMA, R.SUPPORTER)),
    SeedOrganisation("pref-osaka", K.LOCAL_GOVERNMENT, "大阪府", "Osaka Prefecture", "オオサカフ", "27", None, S3,
                     clusters=_in(KINKI_BIO, R.SUPPORTER)),
    SeedOrganisation("city-kobe", K.LOCAL_GOVERNMENT, "神戸市", "Kobe City", "コウベシ", "28", "281000", S3,
                     note="Plan for Special Zones for Advanced Medical Industry",
                     clusters=_in(KINKI_BIO + ("kc1-kobe",), R.SUPPORTER)),
    SeedOrganisation("city-fukuoka", K.LOCAL_GOVERNMENT, "福岡市", "Fukuoka City", "フクオカシ", "40", "401307", S3,
                     note="Fukuoka Plan for Special Zones for Asian Business",
                     clusters=_in(("ic1-kyushu-k-rip",), R.SUPPORTER)),
    # Universities
    SeedOrganisation("hokkaido-u", K.UNIVERSITY, "北海道大学", "Hokkaido University", "ホッカイドウダイガク", "01", "011002",
                     S3, note="Plan for Special Zones for Industry-University-Government Cooperation",
                     fields=("life-science", "it"), clusters=_in(HOKKAIDO + ("kc1-sapporo",), R.RESEARCH)),
    SeedOrganisation("otaru-u", K.UNIVERSITY, "小樽商科大学", "Otaru University of Commerce", "オタルショウカダイガク", "01",
                     "012033", S3, clusters=_in(HOKKAIDO, R.RESEARCH)),
    SeedOrganisation("sapporo-medical-u", K.UNIVERSITY, "札幌医科大学", "Sapporo Medical University",
                     "サッポロイカダイガク", "01", "011002", S3, fields=("life-science",),
                     clusters=_in(HOKKAIDO, R.RESEARCH)),
    SeedOrganisation("hokkaido-tokai-u", K.UNIVERSITY, "北海道東海大学", "Hokkaido Tokai University",
                     "ホッカイドウトウカイダイガク", "01", "011002", S3, clusters=_in(HOKKAIDO, R.RESEARCH)),
    SeedOrganisation("obihiro-u", K.UNIVERSITY, "帯広畜産大学", "Obihiro University of Agriculture and Veterinary Medicine",
                     "オビヒロチクサンダイガク", "01", "012076", S3, fields=("food-agriculture", "life-science"),
                     clusters=_in(HOKKAIDO, R.RESEARCH)),
    SeedOrganisation("asahikawa-medical", K.UNIVERSITY, "旭川医科大学", "Asahikawa Medical College",
                     "アサヒカワイカダイガク", "01", "012041", S3, fields=("life-science",),
                     clusters=_in(HOKKAIDO, R.RESEARCH)),
    SeedOrganisation("tuat", K.UNIVERSITY, "東京農工大学", "Tokyo University of Agriculture and Technology",
                     "トウキョウノウコウダイガク", "13", "132063", S3, fields=("manufacturing", "life-science"),
                     clusters=_in(TAMA, R.RESEARCH)),
    SeedOrganisation("uec", K.UNIVERSITY, "電気通信大学", "University of Electro-Communications", "デンキツウシンダイガク",
                     "13", "132080", S3, fields=("it", "optronics"), clusters=_in(TAMA, R.RESEARCH)),
    SeedOrganisation("waseda", K.UNIVERSITY, "早稲田大学", "Waseda University", "ワセダダイガク", "13", "131041", S3,
                     note="business incubator near the Honjo Campus", clusters=_in(TAMA, R.RESEARCH)),
    SeedOrganisation("u-tokyo", K.UNIVERSITY, "東京大学", "The University of Tokyo", "トウキョウダイガク", "13", "131059", S3,
                     note="business incubator at the Kashiwa Campus", clusters=_in(("ic1-kanto-regional-industry",),
                                                                                   R.RESEARCH)),
    SeedOrganisation("tokyo-tech", K.UNIVERSITY, "東京工業大学", "Tokyo Institute of Technology", "トウキョウコウギョウダイガク",
                     "13", "131105", S1, note="incubation facility", clusters=_in(("ic2-kanto-regional-industry",),
                                                                                 R.RESEARCH)),
    SeedOrganisation("kyoto-u", K.UNIVERSITY, "京都大学", "Kyoto University", "キョウトダイガク", "26", "261009", S3,
                     note="business incubator at the Katsura Campus; Kyoto Bio-city Plan",
                     fields=("life-science", "nanotech-materials"),
                     clusters=_in(KINKI_BIO + ("kc1-kyoto",), R.RESEARCH)),
    SeedOrganisation("osaka-u", K.UNIVERSITY, "大阪大学", "Osaka University", "オオサカダイガク", "27", "272051", S3,
                     note="Saito Project", fields=("life-science",),
                     clusters=_in(KINKI_BIO + ("kc1-osaka-saito", "kc2-kansai-biomedical"), R.RESEARCH)),
    SeedOrganisation("kobe-u", K.UNIVERSITY, "神戸大学", "Kobe University", "コウベダイガク", "28", "281000", S3,
                     note="Kobe Medical Industry Development Project", fields=("life-science",),
                     clusters=_in(KINKI_BIO + ("kc1-kobe", "kc2-kansai-biomedical"), R.RESEARCH)),
    SeedOrganisation("naist", K.UNIVERSITY, "奈良先端科学技術大学院大学", "Nara Institute of Science and Technology",
                     "ナラセンタンカガクギジュツダイガクインダイガク", "29", "292095", S3, note="Kansai Science City",
                     fields=("it", "life-science"), clusters=_in(KINKI_BIO + ("kc1-keihanna",), R.RESEARCH)),
    SeedOrganisation("hanyang-u", K.UNIVERSITY, "", "Hanyang University (Ansan, South Korea)", "", None, None, S1,
                     note="office supporting partnerships between Japanese and Korean companies",
                     clusters=_in(("ic2-kanto-regional-industry",), R.SUPPORTER)),
    # Public research institutes and hospitals
    SeedOrganisation("hokkaido-iri", K.PUBLIC_RESEARCH, "北海道立工業試験場", "Hokkaido Industrial Research Institute",
                     "ホッカイドウリツコウギョウシケンジョウ", "01", "011002", S3, clusters=_in(HOKKAIDO, R.RESEARCH)),
    SeedOrganisation("aist-hokkaido", K.PUBLIC_RESEARCH, "産業技術総合研究所 北海道センター", "AIST Hokkaido Center",
                     "サンギョウギジュツソウゴウケンキュウショホッカイドウセンター", "01", "011002", S3,
                     clusters=_in(HOKKAIDO, R.RESEARCH)),
    SeedOrganisation("tokyo-iri", K.PUBLIC_RESEARCH, "東京都立産業技術研究所",
                     "Tokyo Metropolitan Industrial Technology Research Institute",
                     "トウキョウトリツサンギョウギジュツケンキュウショ", "13", None, S3, clusters=_in(TAMA, R.RESEARCH)),
    SeedOrganisation("kanagawa-itri", K.PUBLIC_RESEARCH, "神奈川県産業技術総合研究所",
                     "Kanagawa Industrial Technology Research Institute",
                     "カナガワケンサンギョウギジュツソウゴウケンキュウショ", "14", "142158", S3,
                     clusters=_in(TAMA, R.RESEARCH)),
    SeedOrganisation("aist-kansai", K.PUBLIC_RESEARCH, "産業技術総合研究所 関西センター", "AIST Kansai",
                     "サンギョウギジュツソウゴウケンキュウショカンサイセンター", "27", "272043", S3,
                     clusters=_in(KINKI_BIO, R.RESEARCH)),
    SeedOrganisation("aist-terc", K.PUBLIC_RESEARCH, "産業技術総合研究所 ティッシュエンジニアリング研究センター",
                     "Tissue Engineering Research Center, AIST", "", "28", "282022", S3, fields=("life-science",),
                     clusters=_in(KINKI_BIO, R.RESEARCH)),
    SeedOrganisation("riken-cdb", K.PUBLIC_RESEARCH, "理化学研究所 発生・再生科学総合研究センター",
                     "RIKEN Center for Developmental Biology", "", "28", "281000", S3, fields=("life-science",),
                     clusters=_in(KINKI_BIO + ("kc1-kobe", "kc2-kansai-biomedical"), R.RESEARCH)),
    SeedOrganisation("kobe-advanced-medical-center", K.PUBLIC_RESEARCH, "先端医療センター", "Advanced Medical Center (Kobe)",
                     "センタンイリョウセンター", "28", "281000", S3, note="Kobe Medical Industry Development Project",
                     fields=("life-science", "medical-welfare"), clusters=_in(KINKI_BIO + ("kc1-kobe",), R.RESEARCH)),
    SeedOrganisation("spring-8", K.PUBLIC_RESEARCH, "大型放射光施設 SPring-8", "SPring-8", "", "28", None, S3,
                     note="Harima Science Garden City", fields=("nanotech-materials",),
                     clusters=_in(KINKI_BIO, R.RESEARCH)),
    SeedOrganisation("toranomon-hospital", K.OTHER, "虎の門病院", "Toranomon Hospital", "トラノモンビョウイン", "13", "131032",
                     S3, note="co-developed a washing and sterilising device with three TAMA companies",
                     clusters=_in(("ic1-kanto-regional-industry",), R.RESEARCH)),
    # Incubators
    SeedOrganisation("collabo-hokkaido", K.INCUBATOR, "コラボほっかいどう", "Collabo Hokkaido", "コラボホッカイドウ", "01",
                     "011002", S3, clusters=_in(HOKKAIDO, R.SUPPORTER)),
    SeedOrganisation("innovation-plaza-hokkaido", K.INCUBATOR, "JSTイノベーションプラザ北海道", "Innovation Plaza Hokkaido",
                     "", "01", "011002", S3, clusters=_in(HOKKAIDO, R.SUPPORTER)),
    SeedOrganisation("sagamihara-ic", K.INCUBATOR, "さがみはらインキュベーションセンター", "Sagamihara Incubation Center",
                     "サガミハラインキュベーションセンター", "14", "141500", S3, clusters=_in(TAMA, R.SUPPORTER)),
    SeedOrganisation("fuji-electric-eo", K.INCUBATOR, "", "Entrepreneurs Office of Fuji Electric Co., Ltd.", "", None, None,
                     S3, clusters=_in(("ic1-kanto-regional-industry",), R.SUPPORTER)),
    SeedOrganisation("krp", K.INCUBATOR, "京都リサーチパーク株式会社", "Kyoto Research Park Co., Ltd.",
                     "キョウトリサーチパーク", "26", "261009", S3, clusters=_in(KINKI_BIO, R.SUPPORTER)),
    SeedOrganisation("senri-lsc", K.INCUBATOR, "千里ライフサイエンスセンター", "Senri Life Science Center",
                     "センリライフサイエンスセンター", "27", "272035", S3, clusters=_in(KINKI_BIO, R.SUPPORTER)),
    # Finance, TLOs and other supporters
    SeedOrganisation("hokkaido-vc", K.VENTURE_CAPITAL, "北海道ベンチャーキャピタル株式会社", "Hokkaido Venture Capital Inc.",
                     "ホッカイドウベンチャーキャピタル", "01", "011002", S3, clusters=_in(HOKKAIDO, R.SUPPORTER)),
    SeedOrganisation("hokkaido-tlo", K.TLO, "北海道ティー・エル・オー株式会社", "Hokkaido Technology Licensing Office Co., Ltd.",
                     "ホッカイドウティーエルオー", "01", "011002", S3, clusters=_in(HOKKAIDO, R.SUPPORTER)),
    SeedOrganisation("hokkaido-economic-federation", K.CHAMBER, "北海道経済連合会", "Hokkaido Economic Federation",
                     "ホッカイドウケイザイレンゴウカイ", "01", "011002", S3, clusters=_in(HOKKAIDO, R.SUPPORTER)),
    SeedOrganisation("hokkaido-it-forum", K.SUPPORT_ORG, "", "Hokkaido IT Cluster Forum", "", "01", None, S3,
                     fields=("it",), clusters=_in(HOKKAIDO, R.SUPPORTER)),
    SeedOrganisation("hokkaido-bio-forum", K.SUPPORT_ORG, "", "Hokkaido Bio-Cluster Forum", "", "01", None, S3,
                     fields=("life-science",), clusters=_in(HOKKAIDO, R.SUPPORTER)),
    SeedOrganisation("seibu-shinkin", K.FINANCIAL, "西武信用金庫", "Seibu Shinkin Bank", "セイブシンヨウキンコ", "13",
                     "131148", S3, clusters=_in(TAMA, R.SUPPORTER)),
    SeedOrganisation("tama-tlo", K.TLO, "タマティーエルオー株式会社", "TAMA-TLO Ltd.", "タマティーエルオー", "13", "132012", S3,
                     clusters=_in(TAMA, R.SUPPORTER)),
    SeedOrganisation("sayama-cci", K.CHAMBER, "狭山商工会議所", "Sayama Chamber of Commerce and Industry",
                     "サヤマショウコウカイギショ", "11", "112151", S3, clusters=_in(TAMA, R.SUPPORTER)),
    SeedOrganisation("daiwa-bi", K.VENTURE_CAPITAL, "大和企業投資株式会社", "Daiwa Business Investment Co., Ltd.",
                     "ダイワキギョウトウシ", "13", None, S3, clusters=_in(KINKI_BIO, R.SUPPORTER)),
    SeedOrganisation("angel-securities", K.FINANCIAL, "エンゼル証券株式会社", "Angel Securities Co., Ltd.", "エンゼルショウケン",
                     None, None, S3, clusters=_in(KINKI_BIO, R.SUPPORTER)),
    SeedOrganisation("ostec", K.SUPPORT_ORG, "大阪科学技術センター", "Osaka Science and Technology Center",
                     "オオサカカガクギジュツセンター", "27", "271004", S3, clusters=_in(KINKI_BIO, R.SUPPORTER)),
    SeedOrganisation("kansai-tlo", K.TLO, "関西ティー・エル・オー株式会社", "Kansai Technology Licensing Organization Co., Ltd.",
                     "カンサイティーエルオー", "26", "261009", S3, clusters=_in(KINKI_BIO, R.SUPPORTER)),
    SeedOrganisation("smrj", K.SUPPORT_ORG, "中小企業基盤整備機構",
                     "Organization for Small & Medium Enterprises and Regional Innovation, Japan (SMRJ)",
                     "チュウショウキギョウキバンセイビキコウ", "13", None, S1, note="incubation facilities nationwide"),
    SeedOrganisation("jetro", K.SUPPORT_ORG, "日本貿易振興機構", "Japan External Trade Organization (JETRO)",
                     "ニホンボウエキシンコウキコウ", "13", None, S1, note="overseas market channels, international exchanges",
                     clusters=_in(("ic2-kanto-regional-industry", "ic2-hokkaido-super-cluster"), R.SUPPORTER)),
    # Promotion organisations
    SeedOrganisation("tama-association", K.SUPPORT_ORG, "首都圏産業活性化協会", "TAMA Industrial Vitalization Association",
                     "シュトケンサンギョウカッセイカキョウカイ", "13", "132012", S1,
                     note="TAMA Association; secretariat of the Greater Tokyo Initiative network",
                     fields=("manufacturing",), clusters=_in(TAMA, R.PROMOTION_ORG)),
    SeedOrganisation("kinki-bio", K.SUPPORT_ORG, "近畿バイオインダストリー振興会議", "Kinki Bio-Industry Development Organization",
                     "キンキバイオインダストリーシンコウカイギ", "27", "271004", S3,
                     note="with the Kinki Bio Industrial Cluster Council", fields=("life-science",),
                     clusters=_in(KINKI_BIO, R.PROMOTION_ORG)),
    # Companies
    SeedOrganisation("data-craft", K.SME, "株式会社データクラフト", "Data Craft Co., Ltd.", "データクラフト", "01", "011002",
                     S3, note="Hokkaido IT Cluster Forum", fields=("it",), clusters=_in(HOKKAIDO, R.CORE)),
    SeedOrganisation("amino-up", K.SME, "株式会社アミノアップ化学", "Amino Up Chemical Co., Ltd.", "アミノアップカガク", "01",
                     "011002", S3, note="Hokkaido Bio-Cluster Forum", fields=("life-science",),
                     clusters=_in(HOKKAIDO, R.CORE)),
    SeedOrganisation("dainippon-pharma", K.LARGE_ENTERPRISE, "大日本製薬株式会社", "Dainippon Pharmaceutical Co., Ltd.",
                     "ダイニッポンセイヤク", "27", "271004", S3, note="name as of 2003", fields=("life-science",),
                     clusters=_in(("ic1-kinki-bio",), R.CORE)),
    # International partners
    SeedOrganisation("veneto-chamber", K.FOREIGN_CLUSTER, "", "Veneto Chamber of Commerce and Industry (Italy)", "", None,
                     None, S1, note="business exchange with TAMA companies",
                     clusters=_in(("ic2-kanto-regional-industry",), R.SUPPORTER)),
    SeedOrganisation("korea-industrial-complex", K.FOREIGN_CLUSTER, "", "Korea Industrial Complex Corp.", "", None, None,
                     S1, note="joint ordering organisation with TAMA companies",
                     clusters=_in(("ic2-kanto-regional-industry",), R.SUPPORTER)),
]  # fmt: skip

SEED_VISIBILITY = Visibility.PUBLIC
