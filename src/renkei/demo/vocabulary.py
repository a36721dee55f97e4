# ruff: noqa: E501 -- data tables laid out one record per line (fmt: skip); Japanese text counts double width
"""Words the generator builds fictitious names and texts from, each in Japanese (with kana) and
English. Place-like stems are invented combinations so that generated institutions do not carry
the names of real prefectures or cities."""

from __future__ import annotations

# (kanji, kana, romaji)
FAMILY_NAMES: list[tuple[str, str, str]] = [
    ("佐藤", "サトウ", "Sato"), ("鈴木", "スズキ", "Suzuki"), ("高橋", "タカハシ", "Takahashi"),
    ("田中", "タナカ", "Tanaka"), ("伊藤", "イトウ", "Ito"), ("渡辺", "ワタナベ", "Watanabe"),
    ("山本", "ヤマモト", "Yamamoto"), ("中村", "ナカムラ", "Nakamura"), ("小林", "コバヤシ", "Kobayashi"),
    ("加藤", "カトウ", "Kato"), ("吉田", "ヨシダ", "Yoshida"), ("山田", "ヤマダ", "Yamada"),
    ("佐々木", "ササキ", "Sasaki"), ("山口", "ヤマグチ", "Yamaguchi"), ("松本", "マツモト", "Matsumoto"),
    ("井上", "イノウエ", "Inoue"), ("木村", "キムラ", "Kimura"), ("林", "ハヤシ", "Hayashi"),
    ("斎藤", "サイトウ", "Saito"), ("清水", "シミズ", "Shimizu"), ("山崎", "ヤマザキ", "Yamazaki"),
    ("森", "モリ", "Mori"), ("池田", "イケダ", "Ikeda"), ("橋本", "ハシモト", "Hashimoto"),
    ("阿部", "アベ", "Abe"), ("石川", "イシカワ", "Ishikawa"), ("山下", "ヤマシタ", "Yamashita"),
    ("中島", "ナカジマ", "Nakajima"), ("石井", "イシイ", "Ishii"), ("小川", "オガワ", "Ogawa"),
    ("前田", "マエダ", "Maeda"), ("岡田", "オカダ", "Okada"), ("長谷川", "ハセガワ", "Hasegawa"),
    ("藤田", "フジタ", "Fujita"), ("後藤", "ゴトウ", "Goto"), ("近藤", "コンドウ", "Kondo"),
    ("村上", "ムラカミ", "Murakami"), ("遠藤", "エンドウ", "Endo"), ("青木", "アオキ", "Aoki"),
    ("坂本", "サカモト", "Sakamoto"), ("福田", "フクダ", "Fukuda"), ("太田", "オオタ", "Ota"),
    ("西村", "ニシムラ", "Nishimura"), ("藤井", "フジイ", "Fujii"), ("金子", "カネコ", "Kaneko"),
    ("岡本", "オカモト", "Okamoto"), ("藤原", "フジワラ", "Fujiwara"), ("中野", "ナカノ", "Nakano"),
    ("三浦", "ミウラ", "Miura"), ("原田", "ハラダ", "Harada"), ("中川", "ナカガワ", "Nakagawa"),
    ("松田", "マツダ", "Matsuda"), ("竹内", "タケウチ", "Takeuchi"), ("小野", "オノ", "Ono"),
    ("田村", "タムラ", "Tamura"), ("中山", "ナカヤマ", "Nakayama"), ("和田", "ワダ", "Wada"),
    ("石田", "イシダ", "Ishida"), ("森田", "モリタ", "Morita"), ("上田", "ウエダ", "Ueda"),
    ("原", "ハラ", "Hara"), ("内田", "ウチダ", "Uchida"), ("柴田", "シバタ", "Shibata"),
    ("酒井", "サカイ", "Sakai"), ("宮崎", "ミヤザキ", "Miyazaki"), ("横山", "ヨコヤマ", "Yokoyama"),
    ("高木", "タカギ", "Takagi"), ("安藤", "アンドウ", "Ando"), ("宮本", "ミヤモト", "Miyamoto"),
    ("大野", "オオノ", "Ono"), ("小島", "コジマ", "Kojima"), ("工藤", "クドウ", "Kudo"),
    ("谷口", "タニグチ", "Taniguchi"), ("今井", "イマイ", "Imai"), ("高田", "タカダ", "Takada"),
    ("丸山", "マルヤマ", "Maruyama"), ("増田", "マスダ", "Masuda"), ("杉山", "スギヤマ", "Sugiyama"),
    ("村田", "ムラタ", "Murata"), ("大塚", "オオツカ", "Otsuka"), ("小山", "コヤマ", "Koyama"),
    ("平野", "ヒラノ", "Hirano"), ("藤本", "フジモト", "Fujimoto"), ("千葉", "チバ", "Chiba"),
    ("久保", "クボ", "Kubo"), ("松井", "マツイ", "Matsui"), ("岩崎", "イワサキ", "Iwasaki"),
    ("桜井", "サクライ", "Sakurai"), ("野口", "ノグチ", "Noguchi"), ("菅原", "スガワラ", "Sugawara"),
    ("野村", "ノムラ", "Nomura"), ("木下", "キノシタ", "Kinoshita"), ("松尾", "マツオ", "Matsuo"),
    ("菊地", "キクチ", "Kikuchi"), ("佐野", "サノ", "Sano"), ("大西", "オオニシ", "Onishi"),
    ("杉本", "スギモト", "Sugimoto"), ("新井", "アライ", "Arai"), ("浜田", "ハマダ", "Hamada"),
    ("市川", "イチカワ", "Ichikawa"), ("古川", "フルカワ", "Furukawa"), ("水野", "ミズノ", "Mizuno"),
    ("小松", "コマツ", "Komatsu"), ("島田", "シマダ", "Shimada"), ("北村", "キタムラ", "Kitamura"),
    ("星野", "ホシノ", "Hoshino"), ("荒木", "アラキ", "Araki"), ("大久保", "オオクボ", "Okubo"),
]  # fmt: skip

MALE_GIVEN_NAMES: list[tuple[str, str, str]] = [
    ("翔太", "ショウタ", "Shota"), ("大輔", "ダイスケ", "Daisuke"), ("健一", "ケンイチ", "Kenichi"),
    ("誠", "マコト", "Makoto"), ("浩", "ヒロシ", "Hiroshi"), ("剛", "ツヨシ", "Tsuyoshi"),
    ("隆", "タカシ", "Takashi"), ("直樹", "ナオキ", "Naoki"), ("拓也", "タクヤ", "Takuya"),
    ("和也", "カズヤ", "Kazuya"), ("哲也", "テツヤ", "Tetsuya"), ("修", "オサム", "Osamu"),
    ("亮", "リョウ", "Ryo"), ("健太", "ケンタ", "Kenta"), ("一郎", "イチロウ", "Ichiro"),
    ("正人", "マサト", "Masato"), ("雅之", "マサユキ", "Masayuki"), ("秀樹", "ヒデキ", "Hideki"),
    ("俊介", "シュンスケ", "Shunsuke"), ("康弘", "ヤスヒロ", "Yasuhiro"), ("裕之", "ヒロユキ", "Hiroyuki"),
    ("達也", "タツヤ", "Tatsuya"), ("慎一", "シンイチ", "Shinichi"), ("光男", "ミツオ", "Mitsuo"),
    ("英明", "ヒデアキ", "Hideaki"), ("茂", "シゲル", "Shigeru"), ("清", "キヨシ", "Kiyoshi"),
    ("勝", "マサル", "Masaru"), ("聡", "サトシ", "Satoshi"), ("学", "マナブ", "Manabu"),
    ("豊", "ユタカ", "Yutaka"), ("明", "アキラ", "Akira"), ("徹", "トオル", "Toru"),
    ("悟", "サトル", "Satoru"), ("敏夫", "トシオ", "Toshio"), ("義雄", "ヨシオ", "Yoshio"),
    ("幸司", "コウジ", "Koji"), ("純一", "ジュンイチ", "Junichi"), ("伸也", "シンヤ", "Shinya"),
    ("大樹", "ダイキ", "Daiki"), ("陽介", "ヨウスケ", "Yosuke"), ("智之", "トモユキ", "Tomoyuki"),
    ("洋平", "ヨウヘイ", "Yohei"), ("賢治", "ケンジ", "Kenji"), ("昌弘", "マサヒロ", "Masahiro"),
    ("稔", "ミノル", "Minoru"), ("恭平", "キョウヘイ", "Kyohei"), ("圭", "ケイ", "Kei"),
]  # fmt: skip

FEMALE_GIVEN_NAMES: list[tuple[str, str, str]] = [
    ("花子", "ハナコ", "Hanako"), ("恵子", "ケイコ", "Keiko"), ("由美", "ユミ", "Yumi"),
    ("裕子", "ユウコ", "Yuko"), ("直美", "ナオミ", "Naomi"), ("陽子", "ヨウコ", "Yoko"),
    ("真由美", "マユミ", "Mayumi"), ("久美子", "クミコ", "Kumiko"), ("智子", "トモコ", "Tomoko"),
    ("美穂", "ミホ", "Miho"), ("香織", "カオリ", "Kaori"), ("明美", "アケミ", "Akemi"),
    ("さゆり", "サユリ", "Sayuri"), ("愛", "アイ", "Ai"), ("彩", "アヤ", "Aya"),
    ("麻衣", "マイ", "Mai"), ("美咲", "ミサキ", "Misaki"), ("千尋", "チヒロ", "Chihiro"),
    ("沙織", "サオリ", "Saori"), ("由紀", "ユキ", "Yuki"), ("奈緒", "ナオ", "Nao"),
    ("理恵", "リエ", "Rie"), ("純子", "ジュンコ", "Junko"), ("幸子", "サチコ", "Sachiko"),
    ("京子", "キョウコ", "Kyoko"), ("典子", "ノリコ", "Noriko"), ("真理", "マリ", "Mari"),
    ("加奈子", "カナコ", "Kanako"), ("綾香", "アヤカ", "Ayaka"), ("美香", "ミカ", "Mika"),
    ("亜希子", "アキコ", "Akiko"), ("知美", "トモミ", "Tomomi"), ("恵美", "エミ", "Emi"),
    ("瞳", "ヒトミ", "Hitomi"), ("洋子", "ヨウコ", "Yoko"), ("聡子", "サトコ", "Satoko"),
    ("薫", "カオル", "Kaoru"), ("舞", "マイ", "Mai"),
]  # fmt: skip

# Company name stems besides surnames: (kanji, kana, romaji)
COMPANY_STEMS: list[tuple[str, str, str]] = [
    ("旭", "アサヒ", "Asahi"), ("大和", "ヤマト", "Yamato"), ("北斗", "ホクト", "Hokuto"),
    ("太陽", "タイヨウ", "Taiyo"), ("日進", "ニッシン", "Nisshin"), ("昭和", "ショウワ", "Showa"),
    ("共栄", "キョウエイ", "Kyoei"), ("協和", "キョウワ", "Kyowa"), ("三和", "サンワ", "Sanwa"),
    ("光陽", "コウヨウ", "Koyo"), ("新星", "シンセイ", "Shinsei"), ("丸一", "マルイチ", "Maruichi"),
    ("山一", "ヤマイチ", "Yamaichi"), ("中央", "チュウオウ", "Chuo"), ("第一", "ダイイチ", "Daiichi"),
    ("平和", "ヘイワ", "Heiwa"), ("明星", "ミョウジョウ", "Myojo"), ("白鳥", "シラトリ", "Shiratori"),
    ("青葉", "アオバ", "Aoba"), ("若葉", "ワカバ", "Wakaba"), ("清流", "セイリュウ", "Seiryu"),
    ("双葉", "フタバ", "Futaba"), ("高砂", "タカサゴ", "Takasago"), ("栄光", "エイコウ", "Eiko"),
    ("信和", "シンワ", "Shinwa"), ("誠和", "セイワ", "Seiwa"), ("北辰", "ホクシン", "Hokushin"),
    ("アルファ", "アルファ", "Alpha"), ("ネクスト", "ネクスト", "Next"), ("テクノ", "テクノ", "Techno"),
    ("ミライ", "ミライ", "Mirai"), ("アクシス", "アクシス", "Axis"), ("ステラ", "ステラ", "Stella"),
]  # fmt: skip

# Business words by field: (kanji, kana, English; English is romaji where companies keep it so)
BUSINESS_WORDS: dict[str, list[tuple[str, str, str]]] = {
    "manufacturing": [
        ("精工", "セイコウ", "Seiko"),
        ("精機", "セイキ", "Seiki"),
        ("工業", "コウギョウ", "Kogyo"),
        ("製作所", "セイサクショ", "Seisakusho"),
        ("技研", "ギケン", "Giken"),
        ("工機", "コウキ", "Koki"),
        ("鉄工所", "テッコウショ", "Iron Works"),
        ("金属", "キンゾク", "Kinzoku"),
        ("機械", "キカイ", "Machinery"),
        ("精密", "セイミツ", "Precision"),
        ("樹脂", "ジュシ", "Jushi"),
        ("金型", "カナガタ", "Mold"),
        ("工作所", "コウサクショ", "Kosakusho"),
        ("精研", "セイケン", "Seiken"),
        ("産業", "サンギョウ", "Sangyo"),
        ("興業", "コウギョウ", "Kogyo"),
        ("機工", "キコウ", "Kiko"),
        ("製造", "セイゾウ", "Manufacturing"),
        ("熱処理", "ネツショリ", "Heat Treatment"),
        ("メッキ工業", "メッキコウギョウ", "Plating"),
        ("精密工業", "セイミツコウギョウ", "Precision Industries"),
        ("技術工業", "ギジュツコウギョウ", "Engineering"),
    ],
    "it": [
        ("情報システム", "ジョウホウシステム", "Information Systems"),
        ("ソフトウェア", "ソフトウェア", "Software"),
        ("システムズ", "システムズ", "Systems"),
        ("データ", "データ", "Data"),
        ("ネットワークス", "ネットワークス", "Networks"),
        ("電算", "デンサン", "Densan"),
        ("ソリューションズ", "ソリューションズ", "Solutions"),
    ],
    "life-science": [
        ("バイオ", "バイオ", "Bio"),
        ("製薬", "セイヤク", "Pharmaceutical"),
        ("化学", "カガク", "Chemical"),
        ("ファーマ", "ファーマ", "Pharma"),
        ("ライフテック", "ライフテック", "Lifetech"),
        ("生化学", "セイカガク", "Biochemical"),
    ],
    "environment": [
        ("環境技研", "カンキョウギケン", "Kankyo Giken"),
        ("エコテック", "エコテック", "Ecotech"),
        ("環境開発", "カンキョウカイハツ", "Environmental Development"),
        ("リサイクル", "リサイクル", "Recycle"),
        ("水処理", "ミズショリ", "Water Treatment"),
    ],
    "nanotech-materials": [
        ("化成", "カセイ", "Kasei"),
        ("マテリアル", "マテリアル", "Material"),
        ("セラミックス", "セラミックス", "Ceramics"),
        ("化工", "カコウ", "Kako"),
        ("素材", "ソザイ", "Materials"),
    ],
    "energy": [
        ("電機", "デンキ", "Denki"),
        ("エナジー", "エナジー", "Energy"),
        ("電設", "デンセツ", "Densetsu"),
    ],
    "optronics": [
        ("光学", "コウガク", "Optical"),
        ("光電", "コウデン", "Koden"),
        ("フォトニクス", "フォトニクス", "Photonics"),
        ("オプト", "オプト", "Opto"),
    ],
    "medical-welfare": [
        ("医科器械", "イカキカイ", "Medical Instruments"),
        ("メディカル", "メディカル", "Medical"),
        ("福祉機器", "フクシキキ", "Welfare Equipment"),
    ],
    "food-agriculture": [
        ("食品", "ショクヒン", "Foods"),
        ("醸造", "ジョウゾウ", "Brewery"),
        ("農産", "ノウサン", "Agri Products"),
        ("水産", "スイサン", "Suisan"),
    ],
    "semiconductors": [
        ("電子", "デンシ", "Electronics"),
        ("半導体", "ハンドウタイ", "Semiconductor"),
        ("デバイス", "デバイス", "Devices"),
    ],
    "robotics": [("ロボティクス", "ロボティクス", "Robotics"), ("メカトロ", "メカトロ", "Mechatronics")],
    "sensing": [("計器", "ケイキ", "Keiki"), ("測器", "ソッキ", "Sokki"), ("計測", "ケイソク", "Measurement")],
    "automotive": [("工業", "コウギョウ", "Kogyo"), ("精工", "セイコウ", "Seiko"), ("発條", "ハツジョウ", "Spring")],
    "marine-bio": [("水産", "スイサン", "Suisan"), ("マリンバイオ", "マリンバイオ", "Marine Bio")],
    "fuel-cells": [("電機", "デンキ", "Denki"), ("エナジー", "エナジー", "Energy")],
    "biomass": [("林産", "リンサン", "Forest Products"), ("エコテック", "エコテック", "Ecotech")],
}

# JSIC Rev.13 major groups typical of each field
FIELD_INDUSTRIES: dict[str, list[str]] = {
    "manufacturing": ["24", "25", "26", "27", "18", "22", "23", "32"],
    "it": ["39", "40", "37", "30"],
    "life-science": ["16", "09", "71", "27"],
    "environment": ["88", "26", "16", "74"],
    "nanotech-materials": ["16", "21", "23", "18"],
    "energy": ["29", "33", "26"],
    "optronics": ["27", "28", "30"],
    "medical-welfare": ["27", "29", "32"],
    "food-agriculture": ["09", "10", "01"],
    "semiconductors": ["28", "29", "26"],
    "robotics": ["26", "29", "25"],
    "sensing": ["27", "28", "29"],
    "automotive": ["31", "24", "19"],
    "marine-bio": ["09", "04", "16"],
    "fuel-cells": ["29", "16"],
    "biomass": ["12", "88"],
}

# Research keywords by field: (Japanese, English)
KEYWORDS: dict[str, list[tuple[str, str]]] = {
    "life-science": [
        ("糖鎖工学", "glycotechnology"),
        ("再生医療", "regenerative medicine"),
        ("ゲノム解析", "genome analysis"),
        ("プロテオミクス", "proteomics"),
        ("創薬スクリーニング", "drug screening"),
        ("抗体医薬", "antibody drugs"),
        ("組織工学", "tissue engineering"),
        ("機能性食品", "functional foods"),
        ("免疫アレルギー", "immunology and allergy"),
        ("希少糖", "rare sugars"),
        ("バイオインフォマティクス", "bioinformatics"),
        ("細胞培養", "cell culture"),
    ],
    "it": [
        ("組込みソフトウェア", "embedded software"),
        ("情報セキュリティ", "information security"),
        ("音声認識", "speech recognition"),
        ("画像処理", "image processing"),
        ("ネットワーク制御", "network control"),
        ("情報家電", "home information appliances"),
        ("IP電話", "internet voice communication"),
        ("データマイニング", "data mining"),
        ("ヒューマンインタフェース", "human interface"),
    ],
    "environment": [
        ("廃棄物リサイクル", "waste recycling"),
        ("水質浄化", "water purification"),
        ("微生物分解", "microbial degradation"),
        ("土壌浄化", "soil remediation"),
        ("ライフサイクルアセスメント", "life cycle assessment"),
        ("廃油燃料化", "waste oil to fuel"),
        ("環境計測", "environmental monitoring"),
    ],
    "nanotech-materials": [
        ("ナノ粒子", "nanoparticles"),
        ("薄膜形成", "thin film deposition"),
        ("カーボンナノチューブ", "carbon nanotubes"),
        ("機能性セラミックス", "functional ceramics"),
        ("表面改質", "surface modification"),
        ("高分子材料", "polymer materials"),
        ("微細加工", "microfabrication"),
        ("複合材料", "composite materials"),
    ],
    "energy": [
        ("二次電池", "rechargeable batteries"),
        ("太陽電池", "solar cells"),
        ("省エネルギー制御", "energy-saving control"),
        ("パワーエレクトロニクス", "power electronics"),
        ("分散型電源", "distributed power generation"),
    ],
    "manufacturing": [
        ("精密切削", "precision cutting"),
        ("金型設計", "die and mould design"),
        ("塑性加工", "plastic working"),
        ("レーザー加工", "laser processing"),
        ("精密研削", "precision grinding"),
        ("溶接技術", "welding technology"),
        ("生産管理", "production management"),
        ("歯車設計", "gear design"),
        ("表面処理", "surface treatment"),
    ],
    "optronics": [
        ("光センシング", "optical sensing"),
        ("半導体レーザー", "semiconductor lasers"),
        ("イメージング", "imaging"),
        ("光通信", "optical communication"),
        ("光計測", "optical metrology"),
        ("赤外線検出", "infrared detection"),
    ],
    "medical-welfare": [
        ("医療機器", "medical devices"),
        ("手術支援ロボット", "surgical robotics"),
        ("福祉機器", "assistive devices"),
        ("生体計測", "biosignal measurement"),
        ("リハビリテーション工学", "rehabilitation engineering"),
        ("診断デバイス", "diagnostic devices"),
    ],
    "food-agriculture": [
        ("食品加工", "food processing"),
        ("発酵技術", "fermentation technology"),
        ("機能性成分", "bioactive compounds"),
        ("農産物品質評価", "crop quality assessment"),
        ("食品安全", "food safety"),
        ("醸造", "brewing"),
    ],
    "semiconductors": [
        ("システムLSI設計", "system LSI design"),
        ("半導体検査", "semiconductor inspection"),
        ("MEMS", "MEMS"),
        ("回路設計", "circuit design"),
        ("低消費電力設計", "low-power design"),
        ("実装技術", "packaging technology"),
    ],
    "robotics": [
        ("ロボット制御", "robot control"),
        ("メカトロニクス", "mechatronics"),
        ("自律移動", "autonomous navigation"),
        ("アクチュエータ", "actuators"),
        ("生活支援ロボット", "service robots"),
    ],
    "marine-bio": [
        ("海洋微生物", "marine microorganisms"),
        ("水産資源", "fishery resources"),
        ("海藻利用", "seaweed utilisation"),
        ("サケ頭部由来成分", "compounds from salmon heads"),
    ],
    "sensing": [
        ("センサネットワーク", "sensor networks"),
        ("高感度検出", "high-sensitivity detection"),
        ("計測制御", "measurement and control"),
        ("ユビキタス生体計測", "ubiquitous biosignal sensing"),
    ],
    "automotive": [
        ("車載電子", "automotive electronics"),
        ("軽量化", "weight reduction"),
        ("ステアリング機構", "steering mechanisms"),
        ("精密歯車", "precision gears"),
    ],
    "fuel-cells": [("燃料電池", "fuel cells"), ("水素貯蔵", "hydrogen storage"), ("触媒", "catalysts")],
    "biomass": [("木質バイオマス", "woody biomass"), ("バイオ燃料", "biofuels"), ("秋田スギ", "Akita cedar")],
}

# What companies offer, by field: (Japanese, English)
CAPABILITIES: dict[str, list[tuple[str, str]]] = {
    "manufacturing": [
        (
            "精密切削加工（公差±2µm）と5軸マシニングによる小ロット試作",
            "precision machining to ±2 µm and 5-axis prototyping in small lots",
        ),
        (
            "プレス金型の設計・製作と量産立ち上げ支援",
            "design and build of press dies and support for mass-production start-up",
        ),
        ("高精度ベアリングギアの設計と製造", "design and manufacture of high-precision bearing gears"),
        ("アルミ・チタンの精密溶接と表面処理", "precision welding and surface treatment of aluminium and titanium"),
        ("治具・省力化装置の受託開発", "contract development of jigs and labour-saving machines"),
        ("樹脂成形品の設計から量産まで一貫対応", "plastic moulded parts from design to volume production"),
    ],
    "it": [
        (
            "組込みソフトウェアの受託開発（情報家電・車載）",
            "contract development of embedded software for home appliances and vehicles",
        ),
        ("情報セキュリティ診断と対策システムの構築", "information security audits and protective systems"),
        ("業務システムとWebアプリケーションの開発", "business systems and web applications"),
        ("IP電話・音声通信ソフトウェア", "internet voice communication software"),
        ("画像認識エンジンとその応用開発", "image recognition engines and their applications"),
    ],
    "life-science": [
        ("遺伝子の迅速大量解析の受託サービス", "contract service for quick mass gene analysis"),
        (
            "機能性素材（コンドロイチン硫酸等）の抽出・精製",
            "extraction and purification of functional materials such as chondroitin sulfate",
        ),
        ("細胞培養・再生医療用材料の開発", "materials for cell culture and regenerative medicine"),
        ("創薬候補化合物の合成とスクリーニング", "synthesis and screening of drug candidates"),
        ("タンパク質の高感度分析用部品", "parts for high-sensitivity protein analysis"),
    ],
    "environment": [
        ("廃油を低コストで燃料化する装置", "low-cost equipment converting waste oil into fuel"),
        ("微生物を利用した排水処理システム", "wastewater treatment with microorganisms"),
        ("産業廃棄物のリサイクル技術とプラント設計", "industrial waste recycling technology and plant design"),
        ("土壌・地下水の浄化工事", "soil and groundwater remediation"),
    ],
    "nanotech-materials": [
        ("ナノ粒子の合成と分散技術", "synthesis and dispersion of nanoparticles"),
        (
            "次世代DVD用微細凹凸形成（80nm以下）の表面処理装置",
            "surface treatment equipment forming features under 80 nm for next-generation DVDs",
        ),
        ("環境調和型セラミックスの開発・製造", "development and manufacture of environment-friendly ceramics"),
        ("機能性薄膜の受託成膜", "contract deposition of functional thin films"),
    ],
    "energy": [
        ("リチウム二次電池用部材の開発", "components for lithium rechargeable batteries"),
        ("省エネルギー型制御盤の設計・製造", "design and manufacture of energy-saving control panels"),
        ("小型太陽光発電システムの施工", "installation of small photovoltaic systems"),
    ],
    "optronics": [
        ("光センサと計測モジュールの開発", "optical sensors and measurement modules"),
        ("レンズ・光学部品の精密加工", "precision machining of lenses and optical parts"),
        ("赤外線イメージング装置", "infrared imaging equipment"),
    ],
    "medical-welfare": [
        ("医療機器の受託設計とISO 13485に沿った製造", "contract design of medical devices and ISO 13485 manufacturing"),
        (
            "次亜塩素酸ナトリウム活性化による洗浄殺菌装置",
            "washing and sterilising equipment activating sodium hypochlorite",
        ),
        ("介護・福祉機器の開発", "development of care and welfare equipment"),
    ],
    "food-agriculture": [
        ("地域農水産物を用いた機能性食品の開発", "functional foods from regional farm and fishery products"),
        ("発酵・醸造技術による食品素材", "food ingredients from fermentation and brewing"),
        ("食品の品質・安全性評価", "food quality and safety testing"),
    ],
    "semiconductors": [
        ("高集積・超微細LSIの検査装置", "inspection instruments for highly integrated, ultrafine LSI"),
        ("システムLSIの設計受託", "contract system LSI design"),
        ("半導体製造装置用部品の精密加工", "precision parts for semiconductor manufacturing equipment"),
    ],
    "robotics": [
        ("産業用ロボットのシステムインテグレーション", "system integration of industrial robots"),
        ("小型アクチュエータとその制御", "small actuators and their control"),
    ],
    "sensing": [
        ("高感度センサの設計・製造", "design and manufacture of high-sensitivity sensors"),
        ("計測・検査装置の受託開発", "contract development of measurement and inspection equipment"),
    ],
    "automotive": [
        ("ステアリング用ギアモジュール", "gear modules for steering systems"),
        ("自動車部品のプレス・溶接", "pressing and welding of automotive parts"),
    ],
    "marine-bio": [
        ("海洋生物由来素材の抽出", "extraction of materials from marine organisms"),
        ("水産加工副産物の有効利用", "use of by-products of fish processing"),
    ],
    "fuel-cells": [("燃料電池用セパレータの加工", "machining of fuel cell separators")],
    "biomass": [("木質バイオマスの燃料化", "fuel from woody biomass")],
}

# Departments of generated universities by field: (Japanese, English)
DEPARTMENTS: dict[str, tuple[str, str]] = {
    "life-science": ("大学院医学系研究科", "Graduate School of Medicine"),
    "it": ("大学院情報科学研究科", "Graduate School of Information Science"),
    "environment": ("大学院環境科学研究科", "Graduate School of Environmental Science"),
    "nanotech-materials": ("大学院工学研究科 材料工学専攻", "Graduate School of Engineering, Materials Science"),
    "energy": ("大学院工学研究科 電気工学専攻", "Graduate School of Engineering, Electrical Engineering"),
    "manufacturing": ("大学院工学研究科 機械工学専攻", "Graduate School of Engineering, Mechanical Engineering"),
    "optronics": ("電子工学研究所", "Research Institute of Electronics"),
    "medical-welfare": ("医工学研究センター", "Center for Medical Engineering"),
    "food-agriculture": ("農学部", "Faculty of Agriculture"),
    "semiconductors": (
        "大学院システム情報科学研究院",
        "Graduate School of Information Science and Electrical Engineering",
    ),
    "robotics": ("大学院工学研究科 機械システム専攻", "Graduate School of Engineering, Mechanical Systems"),
    "marine-bio": ("水産学部", "Faculty of Fisheries"),
    "sensing": ("大学院工学研究科 計測工学専攻", "Graduate School of Engineering, Measurement Engineering"),
    "automotive": ("大学院工学研究科 機械工学専攻", "Graduate School of Engineering, Mechanical Engineering"),
    "fuel-cells": ("燃料電池研究センター", "Fuel Cell Research Center"),
    "biomass": ("農学部 森林科学科", "Faculty of Agriculture, Forest Science"),
}

# Invented place-like names for generated institutions: first and second parts (kanji, kana, romaji)
PLACE_FIRST: list[tuple[str, str, str]] = [
    ("青", "アオ", "Ao"), ("若", "ワカ", "Waka"), ("白", "シラ", "Shira"), ("星", "ホシ", "Hoshi"),
    ("桜", "サクラ", "Sakura"), ("緑", "ミドリ", "Midori"), ("朝", "アサ", "Asa"), ("光", "ヒカリ", "Hikari"),
    ("晴", "ハレ", "Hare"), ("瑞", "ミズ", "Mizu"), ("楓", "カエデ", "Kaede"), ("澄", "スミ", "Sumi"),
    ("天", "アマ", "Ama"), ("雪", "ユキ", "Yuki"), ("月", "ツキ", "Tsuki"), ("風", "カゼ", "Kaze"),
]  # fmt: skip
PLACE_SECOND: list[tuple[str, str, str]] = [
    ("峰", "ミネ", "mine"), ("川", "カワ", "kawa"), ("丘", "オカ", "oka"), ("原", "ハラ", "hara"),
    ("野", "ノ", "no"), ("浜", "ハマ", "hama"), ("台", "ダイ", "dai"), ("里", "サト", "sato"),
    ("森", "モリ", "mori"), ("沢", "サワ", "sawa"), ("崎", "サキ", "saki"),
]  # fmt: skip

# Institution patterns: (kind, Japanese suffix, kana suffix, English pattern with {place})
UNIVERSITY_PATTERNS = [
    ("大学", "ダイガク", "{place} University"),
    ("工業大学", "コウギョウダイガク", "{place} Institute of Technology"),
    ("科学技術大学", "カガクギジュツダイガク", "{place} University of Science and Technology"),
    ("医科大学", "イカダイガク", "{place} Medical University"),
    ("情報大学", "ジョウホウダイガク", "{place} University of Information Sciences"),
    ("農業大学", "ノウギョウダイガク", "{place} University of Agriculture"),
]
TECHNICAL_COLLEGE_PATTERN = (
    "工業高等専門学校",
    "コウギョウコウトウセンモンガッコウ",
    "{place} National College of Technology",
)
PUBLIC_RESEARCH_PATTERNS = [
    ("産業技術研究所", "サンギョウギジュツケンキュウショ", "{place} Industrial Technology Research Institute"),
    ("先端技術研究センター", "センタンギジュツケンキュウセンター", "{place} Advanced Technology Research Center"),
    ("工業技術センター", "コウギョウギジュツセンター", "{place} Industrial Technology Center"),
    ("食品研究所", "ショクヒンケンキュウショ", "{place} Food Research Institute"),
]
SUPPORT_PATTERNS = {
    "support_org": [
        ("産業振興財団", "サンギョウシンコウザイダン", "{place} Industrial Promotion Foundation"),
        (
            "産学官連携推進機構",
            "サンガクカンレンケイスイシンキコウ",
            "{place} Industry-Academia-Government Collaboration Organization",
        ),
    ],
    "incubator": [
        ("インキュベーションセンター", "インキュベーションセンター", "{place} Incubation Center"),
        ("ビジネスインキュベータ", "ビジネスインキュベータ", "{place} Business Incubator"),
    ],
    "financial": [
        ("信用金庫", "シンヨウキンコ", "{place} Shinkin Bank"),
        ("銀行", "ギンコウ", "Bank of {place}"),
        ("信用組合", "シンヨウクミアイ", "{place} Credit Cooperative"),
    ],
    "venture_capital": [("キャピタル株式会社", "キャピタル", "{place} Capital Co., Ltd.")],
    "tlo": [("ティー・エル・オー株式会社", "ティーエルオー", "{place} TLO Co., Ltd.")],
    "testing_lab": [("試験検査センター", "シケンケンサセンター", "{place} Testing and Inspection Center")],
    "chamber": [("商工会", "ショウコウカイ", "{place} Society of Commerce and Industry")],
}
PROFESSIONAL_PATTERNS = [
    ("特許事務所", "トッキョジムショ", "{name} Patent Office"),
    ("法律事務所", "ホウリツジムショ", "{name} Law Office"),
    ("会計事務所", "カイケイジムショ", "{name} Accounting Office"),
]
TRADING_WORDS = [("商事", "ショウジ", "Shoji"), ("商会", "ショウカイ", "Shokai"), ("物産", "ブッサン", "Bussan")]

RESEARCHER_TITLES = [
    ("教授", "Professor"),
    ("准教授", "Associate Professor"),
    ("講師", "Lecturer"),
    ("助教", "Assistant Professor"),
]
INSTITUTE_TITLES = [("主任研究員", "Senior Researcher"), ("研究員", "Researcher"), ("研究部長", "Head of Research")]
COMPANY_TITLES = [
    ("技術部長", "General Manager, Engineering"), ("開発課長", "Manager, Development Section"),
    ("主任技師", "Chief Engineer"), ("製造部長", "General Manager, Production"), ("営業部長", "General Manager, Sales"),
]  # fmt: skip
PRESIDENT_TITLE = ("代表取締役社長", "President and CEO")
SUPPORT_TITLES = {
    "support_org": [("産学官連携コーディネータ", "Industry-Academia-Government Coordinator")],
    "incubator": [("インキュベーションマネージャ", "Incubation Manager")],
    "financial": [("法人営業部 課長", "Manager, Corporate Banking")],
    "venture_capital": [("投資部長", "Head of Investment")],
    "tlo": [("技術移転マネージャ", "Technology Transfer Manager")],
    "testing_lab": [("主任技師", "Chief Engineer")],
    "chamber": [("経営指導員", "Business Adviser")],
    "professional_firm": [
        ("弁理士", "Patent Attorney"),
        ("弁護士", "Attorney"),
        ("公認会計士", "Certified Public Accountant"),
    ],
    "trading_firm": [("営業部長", "General Manager, Sales")],
}
# (position kind, Japanese title, English title)
HQ_TITLES = {
    "president": ("本部長", "President"),
    "program_director": ("事業総括", "Program Director"),
    "research_director": ("研究統括", "Research Director"),
    "coordinator": ("科学技術コーディネータ", "Science and Technology Coordinator"),
    "incubation_manager": ("インキュベーションマネージャ", "Incubation Manager"),
    "adviser": ("アドバイザー（弁理士）", "Adviser (patent attorney)"),
}

# --- seeds and needs -------------------------------------------------------------------------------
# Topics seeds and needs are written about, by field. Each topic is
#   (term ja, term en, techniques, applications, problems)
# and each of the last three is a list of (Japanese, English). A seed offers a technique of a
# topic for one of its applications; a need asks for help with a problem of the same topic, so a
# Japanese need has English seeds about the same thing, and the reverse.
Phrase = tuple[str, str]
Topic = tuple[str, str, list[Phrase], list[Phrase], list[Phrase]]

LISTING_TOPICS: dict[str, list[Topic]] = {
    "fuel-cells": [
        ("燃料電池", "fuel cells",
         [("高耐久な電解質膜", "a durable electrolyte membrane"), ("白金使用量を半減した電極触媒", "an electrode catalyst with half the platinum")],
         [("家庭用コージェネレーション", "residential cogeneration"), ("フォークリフト用電源", "forklift power units")],
         [("起動停止の繰り返しによる劣化", "degradation from repeated start-stop cycles"), ("触媒コストの高さ", "the high cost of the catalyst")]),
        ("水素貯蔵", "hydrogen storage",
         [("常温で働く水素吸蔵合金", "a hydrogen-absorbing alloy that works at room temperature"), ("軽量な複合容器", "a lightweight composite tank")],
         [("燃料電池車", "fuel cell vehicles"), ("可搬型発電機", "portable generators")],
         [("貯蔵容器の重さ", "the weight of the storage tank"), ("充填時間の長さ", "long refuelling times")]),
    ],
    "energy": [
        ("リチウムイオン電池", "lithium-ion batteries",
         [("高容量シリコン負極", "a high-capacity silicon anode"), ("難燃性電解液", "a flame-retardant electrolyte")],
         [("電動工具", "power tools"), ("定置用蓄電システム", "stationary energy storage")],
         [("充放電の繰り返しによる容量低下", "capacity loss over charge cycles"), ("発熱と発火の危険", "heat build-up and fire risk")]),
        ("太陽電池", "solar cells",
         [("印刷で作る色素増感太陽電池", "printed dye-sensitised solar cells"), ("薄膜シリコンの低温成膜", "low-temperature thin-film silicon deposition")],
         [("建材一体型の発電", "building-integrated power generation"), ("屋外センサーの電源", "power for outdoor sensors")],
         [("発電効率の低さ", "low conversion efficiency"), ("製造コストの高さ", "high manufacturing cost")]),
        ("パワーエレクトロニクス", "power electronics",
         [("SiC素子を用いた小型インバータ", "a compact SiC inverter"), ("高効率DC-DCコンバータ", "a high-efficiency DC-DC converter")],
         [("産業用モータ駆動", "industrial motor drives"), ("電気自動車の充電器", "electric vehicle chargers")],
         [("変換損失による発熱", "heat from conversion losses"), ("装置の大きさ", "the size of the equipment")]),
    ],
    "life-science": [
        ("糖鎖工学", "glycotechnology",
         [("糖鎖の高速合成法", "a fast glycan synthesis method"), ("糖鎖アレイによる網羅的解析", "comprehensive analysis with glycan arrays")],
         [("がんの早期診断", "early cancer diagnosis"), ("インフルエンザ感染の阻害", "blocking influenza infection")],
         [("糖鎖の構造解析に時間がかかること", "slow structural analysis of glycans"), ("診断マーカーの感度不足", "insufficient sensitivity of diagnostic markers")]),
        ("再生医療", "regenerative medicine",
         [("幹細胞の自動培養装置", "an automated stem cell culture system"), ("細胞シートの積層技術", "a cell sheet layering technique")],
         [("軟骨の再生", "cartilage repair"), ("創薬の毒性評価", "toxicity testing in drug discovery")],
         [("培養品質のばらつき", "variable culture quality"), ("培養にかかる人手", "labour-intensive cell culture")]),
        ("抗体医薬", "antibody drugs",
         [("ヒト型抗体の迅速作製法", "rapid production of human antibodies"), ("抗体の高発現細胞株", "high-yield antibody cell lines")],
         [("関節リウマチの治療", "rheumatoid arthritis therapy"), ("体外診断薬", "in-vitro diagnostics")],
         [("抗体の生産コスト", "the cost of producing antibodies"), ("候補抗体の探索期間の長さ", "long screening for candidate antibodies")]),
    ],
    "food-agriculture": [
        ("食品機能性", "functional food ingredients",
         [("ポリフェノールの機能性評価系", "an assay for the health effects of polyphenols"), ("発酵による機能性成分の増強", "fermentation that enriches bioactive compounds")],
         [("特定保健用食品", "foods for specified health uses"), ("高齢者向け食品", "foods for the elderly")],
         [("機能性の科学的根拠の不足", "weak scientific evidence for health claims"), ("加工による有効成分の損失", "loss of active compounds in processing")]),
        ("食品加工", "food processing",
         [("過熱水蒸気による殺菌", "superheated-steam sterilisation"), ("高圧処理による鮮度保持", "high-pressure processing that keeps food fresh")],
         [("総菜の長期保存", "longer shelf life of ready meals"), ("地域特産品の加工", "processing of regional specialties")],
         [("加熱による風味の劣化", "loss of flavour from heating"), ("保存料に頼らない日持ち", "shelf life without preservatives")]),
    ],
    "marine-bio": [
        ("海洋資源の利用", "marine resource use",
         [("サケ頭部からのプロテオグリカン抽出", "proteoglycan extraction from salmon heads"), ("海藻由来多糖の精製", "purification of seaweed polysaccharides")],
         [("化粧品原料", "cosmetic ingredients"), ("健康食品", "health foods")],
         [("水産加工残さの廃棄コスト", "the disposal cost of fish-processing waste"), ("抽出コストの高さ", "high extraction costs")]),
    ],
    "biomass": [
        ("バイオマス", "biomass",
         [("木質バイオマスの糖化技術", "saccharification of woody biomass"), ("食品廃棄物からのメタン発酵", "methane fermentation of food waste")],
         [("バイオエタノール製造", "bioethanol production"), ("地域の熱供給", "local heat supply")],
         [("原料収集の手間", "the effort of collecting feedstock"), ("変換効率の低さ", "low conversion efficiency")]),
        ("バイオプラスチック", "bio-based plastics",
         [("ポリ乳酸の耐熱化", "heat-resistant polylactic acid"), ("木粉を配合した成形材料", "moulding compounds filled with wood flour")],
         [("食品容器", "food containers"), ("家電の外装部品", "appliance housings")],
         [("耐熱性の不足", "poor heat resistance"), ("石油系樹脂との価格差", "the price gap with petroleum plastics")]),
    ],
    "environment": [
        ("水処理", "water treatment",
         [("微生物による難分解性物質の分解", "microbial breakdown of persistent pollutants"), ("セラミック膜ろ過", "ceramic membrane filtration")],
         [("工場排水の再利用", "reuse of factory wastewater"), ("養殖場の水質管理", "water quality control in fish farms")],
         [("排水処理費の増大", "rising wastewater treatment costs"), ("汚泥の発生量", "the volume of sludge produced")]),
        ("リサイクル", "recycling",
         [("廃プラスチックの油化", "conversion of waste plastics to oil"), ("レアメタルの選択回収", "selective recovery of rare metals")],
         [("家電リサイクル", "appliance recycling"), ("建設廃材の再資源化", "reuse of construction waste")],
         [("分別にかかる手間", "the labour of sorting waste"), ("再生材の品質の低さ", "the low quality of recycled material")]),
        ("土壌浄化", "soil remediation",
         [("植物による重金属の除去", "removal of heavy metals by plants"), ("原位置での微生物浄化", "in-situ microbial clean-up")],
         [("工場跡地の再開発", "redevelopment of former factory sites"), ("農地の汚染対策", "clean-up of farmland")],
         [("掘削除去の費用", "the cost of digging out contaminated soil"), ("浄化にかかる期間", "the time remediation takes")]),
    ],
    "nanotech-materials": [
        ("カーボンナノチューブ", "carbon nanotubes",
         [("高純度カーボンナノチューブの量産法", "mass production of high-purity carbon nanotubes"), ("ナノチューブの樹脂への均一分散", "uniform dispersion of nanotubes in resins")],
         [("導電性樹脂部品", "conductive plastic parts"), ("高強度複合材料", "high-strength composites")],
         [("分散の不均一による性能のばらつき", "uneven dispersion and variable performance"), ("材料価格の高さ", "the high price of the material")]),
        ("機能性セラミックス", "functional ceramics",
         [("低温焼結セラミックス", "low-temperature sintered ceramics"), ("透光性セラミックス", "translucent ceramics")],
         [("電子部品の基板", "substrates for electronic components"), ("耐摩耗部品", "wear-resistant parts")],
         [("焼成時の割れ", "cracking during firing"), ("加工の難しさ", "difficult machining")]),
        ("表面改質", "surface modification",
         [("DLC（ダイヤモンドライクカーボン）被膜", "diamond-like carbon coatings"), ("プラズマによる撥水処理", "plasma treatment for water repellency")],
         [("金型の長寿命化", "longer-lasting dies and moulds"), ("医療用チューブ", "medical tubing")],
         [("摩耗による部品交換の多さ", "frequent replacement of worn parts"), ("被膜のはく離", "coatings peeling off")]),
    ],
    "manufacturing": [
        ("精密加工", "precision machining",
         [("超音波援用切削", "ultrasonic-assisted cutting"), ("難削材の高速加工", "high-speed machining of hard-to-cut materials")],
         [("航空機部品", "aircraft parts"), ("医療用インプラント", "medical implants")],
         [("工具摩耗の速さ", "rapid tool wear"), ("加工精度のばらつき", "variable machining accuracy")]),
        ("レーザー加工", "laser processing",
         [("フェムト秒レーザーによる微細加工", "femtosecond laser micromachining"), ("異種金属のレーザー接合", "laser joining of dissimilar metals")],
         [("電子部品の穴あけ", "drilling of electronic components"), ("自動車車体の接合", "joining of car bodies")],
         [("熱による変形", "heat distortion"), ("接合部の強度不足", "weak joints")]),
        ("金型", "dies and moulds",
         [("金型のシミュレーション設計", "simulation-based die design"), ("3次元積層造形による冷却配管", "conformal cooling channels by 3D printing")],
         [("樹脂成形品の量産", "mass production of plastic mouldings"), ("プレス部品", "pressed parts")],
         [("試作の繰り返しによる開発期間の長さ", "long development from repeated trial runs"), ("成形不良の多さ", "a high rate of moulding defects")]),
        ("塑性加工", "metal forming",
         [("マグネシウム合金の温間成形", "warm forming of magnesium alloys"), ("サーボプレスによる精密成形", "precision forming with servo presses")],
         [("携帯機器の筐体", "housings for portable devices"), ("自動車の軽量部品", "lightweight car parts")],
         [("成形時の割れ", "cracking during forming"), ("スプリングバックによる寸法誤差", "dimensional error from springback")]),
    ],
    "it": [
        ("画像処理", "image processing",
         [("高速な外観検査アルゴリズム", "a fast visual inspection algorithm"), ("複数カメラによる3次元計測", "3D measurement with several cameras")],
         [("製品の外観検査", "visual inspection of products"), ("農産物の選別", "grading of farm produce")],
         [("目視検査の見逃し", "defects missed by visual inspection"), ("検査員の不足", "a shortage of inspectors")]),
        ("組込みソフトウェア", "embedded software",
         [("組込みソフトの自動テスト手法", "automated testing of embedded software"), ("軽量リアルタイムOS", "a lightweight real-time operating system")],
         [("情報家電", "networked home appliances"), ("産業機械の制御", "industrial machine control")],
         [("ソフトウェアの不具合", "software defects"), ("開発工数の増大", "growing development effort")]),
        ("情報セキュリティ", "information security",
         [("不正アクセスの検知手法", "an intrusion detection method"), ("軽量な暗号方式", "a lightweight encryption scheme")],
         [("中小企業の社内ネットワーク", "office networks of small firms"), ("ICカード", "smart cards")],
         [("情報漏えいの危険", "the risk of data leaks"), ("専門人材の不足", "a lack of security staff")]),
        ("音声認識", "speech recognition",
         [("雑音に強い音声認識", "noise-robust speech recognition"), ("方言に対応した音声モデル", "speech models that handle dialects")],
         [("コールセンター", "call centres"), ("介護記録の入力", "care record entry")],
         [("騒音下での認識誤り", "recognition errors in noisy places"), ("入力作業の負担", "the burden of typing records")]),
    ],
    "semiconductors": [
        ("MEMS", "MEMS",
         [("シリコン深掘りエッチング", "deep silicon etching"), ("MEMS加速度センサーの低コスト製造", "low-cost fabrication of MEMS accelerometers")],
         [("携帯機器の姿勢検出", "motion sensing in handheld devices"), ("マイクロ流路チップ", "microfluidic chips")],
         [("センサーの小型化", "making sensors smaller"), ("製造コストの高さ", "high fabrication cost")]),
        ("半導体パッケージング", "semiconductor packaging",
         [("チップの3次元積層実装", "3D chip stacking"), ("鉛フリーはんだ接合", "lead-free solder joints")],
         [("携帯電話の基板", "mobile phone circuit boards"), ("車載電子部品", "automotive electronics")],
         [("熱による接合部の破断", "joint failure from thermal stress"), ("実装面積の不足", "lack of board space")]),
        ("システムLSI", "system LSI",
         [("低消費電力回路設計", "low-power circuit design"), ("アナログ・デジタル混載設計", "mixed-signal design")],
         [("無線通信機器", "wireless devices"), ("デジタル家電", "digital consumer electronics")],
         [("電池の持ち時間", "short battery life"), ("設計期間の長さ", "long design cycles")]),
    ],
    "optronics": [
        ("有機EL", "organic light-emitting diodes (OLED)",
         [("塗布型の有機EL材料", "solution-processed OLED materials"), ("有機ELの封止技術", "thin-film encapsulation for OLEDs")],
         [("照明パネル", "lighting panels"), ("フレキシブルディスプレイ", "flexible displays")],
         [("発光寿命の短さ", "short device lifetime"), ("大面積化の難しさ", "difficulty of scaling up the area")]),
        ("光計測", "optical metrology",
         [("レーザー干渉による形状計測", "shape measurement by laser interferometry"), ("テラヘルツ波による非破壊検査", "non-destructive testing with terahertz waves")],
         [("精密部品の品質管理", "quality control of precision parts"), ("食品の異物検査", "foreign-matter inspection of food")],
         [("計測時間の長さ", "slow measurement"), ("内部欠陥を見つけられないこと", "internal defects that go undetected")]),
        ("LED照明", "LED lighting",
         [("高演色の白色LED", "high colour-rendering white LEDs"), ("放熱性の高い実装構造", "a mounting structure that sheds heat well")],
         [("植物工場の照明", "lighting for plant factories"), ("店舗照明", "shop lighting")],
         [("照明の電力消費", "the power lighting consumes"), ("熱による輝度低下", "brightness loss from heat")]),
    ],
    "medical-welfare": [
        ("医療機器", "medical devices",
         [("低侵襲手術用の細径鉗子", "slim forceps for minimally invasive surgery"), ("使い捨てカテーテルの精密成形", "precision moulding of disposable catheters")],
         [("内視鏡手術", "endoscopic surgery"), ("在宅医療", "home healthcare")],
         [("薬事承認までの期間", "the time it takes to gain regulatory approval"), ("部品精度の不足", "insufficient component precision")]),
        ("福祉機器", "assistive devices",
         [("軽量な歩行支援装置", "a lightweight walking aid"), ("移乗を助ける介護リフト", "a transfer lift for caregivers")],
         [("介護施設", "nursing homes"), ("リハビリテーション", "rehabilitation")],
         [("介護者の腰痛", "back pain among caregivers"), ("機器の重さと価格", "the weight and price of equipment")]),
        ("生体計測", "biosignal measurement",
         [("着るだけで心電図をとる衣服型センサー", "a garment sensor that records the ECG"), ("非接触の呼吸計測", "contactless breathing measurement")],
         [("高齢者の見守り", "monitoring older people at home"), ("スポーツ科学", "sports science")],
         [("長時間計測の負担", "the burden of long-term monitoring"), ("体動による雑音", "noise from body movement")]),
    ],
    "robotics": [
        ("ロボット制御", "robot control",
         [("力覚センサーによる柔軟な把持", "compliant grasping with force sensors"), ("人と協調して動く制御", "control for working safely beside people")],
         [("組立工程の自動化", "automating assembly lines"), ("物流倉庫のピッキング", "warehouse picking")],
         [("多品種少量生産への対応", "coping with high-mix low-volume production"), ("人手不足", "a shortage of workers")]),
        ("生活支援ロボット", "service robots",
         [("段差を越える移動機構", "a mobile base that climbs steps"), ("音声で操作できる案内ロボット", "a voice-controlled guide robot")],
         [("病院内の搬送", "transport within hospitals"), ("商業施設の案内", "guiding visitors in shopping centres")],
         [("狭い通路での移動", "moving through narrow corridors"), ("安全性の確保", "ensuring safety")]),
    ],
    "sensing": [
        ("センサネットワーク", "sensor networks",
         [("電池不要の無線センサー", "battery-free wireless sensors"), ("省電力のマルチホップ通信", "low-power multi-hop networking")],
         [("インフラの劣化監視", "monitoring ageing infrastructure"), ("農業ハウスの環境制御", "climate control in greenhouses")],
         [("電池交換の手間", "the effort of replacing batteries"), ("配線工事の費用", "the cost of wiring")]),
        ("ガスセンサー", "gas sensors",
         [("酸化物半導体の高感度ガスセンサー", "a sensitive metal-oxide gas sensor"), ("においの識別技術", "odour discrimination")],
         [("呼気による健康診断", "health checks from breath"), ("工場の漏えい検知", "leak detection in factories")],
         [("誤報の多さ", "frequent false alarms"), ("センサーの寿命", "short sensor life")]),
    ],
    "automotive": [
        ("車体軽量化", "vehicle lightweighting",
         [("高張力鋼板のホットスタンプ", "hot stamping of high-tensile steel"), ("炭素繊維強化樹脂の高速成形", "rapid moulding of carbon-fibre reinforced plastic")],
         [("乗用車の車体骨格", "passenger car body frames"), ("電気自動車の電池ケース", "battery cases for electric vehicles")],
         [("燃費規制への対応", "meeting fuel economy rules"), ("材料費の上昇", "rising material costs")]),
        ("車載電子", "automotive electronics",
         [("車載カメラの画像認識", "image recognition for in-vehicle cameras"), ("高温に耐える電子部品", "electronics that withstand high temperatures")],
         [("運転支援システム", "driver assistance systems"), ("電動パワーステアリング", "electric power steering")],
         [("夜間や悪天候での誤検知", "false detections at night and in bad weather"), ("エンジンルームの熱", "heat in the engine compartment")]),
    ],
}  # fmt: skip

STAGE_WORDS: dict[str, Phrase] = {
    "basic": ("基礎研究", "basic research"),
    "applied": ("応用研究", "applied research"),
    "proof": ("原理検証", "proof-of-concept"),
    "prototype": ("試作", "prototype"),
    "practical": ("実用化直前", "near-practical"),
}

# (Japanese, English) budget ranges companies name for a need, in yen
NEED_BUDGETS: list[tuple[int | None, int | None]] = [
    (None, None), (1_000_000, 3_000_000), (3_000_000, 10_000_000), (5_000_000, 20_000_000),
    (10_000_000, 50_000_000), (None, 5_000_000),
]  # fmt: skip
