"""Build an independent held-out evaluation set for the name matcher.

Made the way an outside evaluator would: without looking at how the matcher
works. Names come from the UN consolidated list (typo variants of listed
persons) and from name lists written by hand below (Central Asian, Russian,
Afghan, Arab, Persian, Turkish, Chinese, Indian, European names with rough
real-world frequencies).

    python bench/make_holdout.py [--seed 20260227] [--out bench/data]

Outputs (deterministic for a given seed):
    holdout_pairs.csv      pair_id,left,right,dob_left,dob_right,label,kind
    holdout_innocents.csv  id,surname,given_names,dob,nationality,gender,doc_number,doc_country
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import re
from pathlib import Path

from anyascii import anyascii

ROOT = Path(__file__).resolve().parents[1]
UN_XML = ROOT.parent / "shared" / "data" / "un_consolidated_2026-02-27.xml"

# --------------------------------------------------------------------------
# Transliteration (written here from the ICAO 9303 table and the brief; not
# taken from the project).

ICAO = {
    "А": "A",
    "Б": "B",
    "В": "V",
    "Г": "G",
    "Д": "D",
    "Е": "E",
    "Ё": "E",
    "Ж": "ZH",
    "З": "Z",
    "И": "I",
    "Й": "I",
    "К": "K",
    "Л": "L",
    "М": "M",
    "Н": "N",
    "О": "O",
    "П": "P",
    "Р": "R",
    "С": "S",
    "Т": "T",
    "У": "U",
    "Ф": "F",
    "Х": "KH",
    "Ц": "TS",
    "Ч": "CH",
    "Ш": "SH",
    "Щ": "SHCH",
    "Ъ": "IE",
    "Ы": "Y",
    "Ь": "",
    "Э": "E",
    "Ю": "IU",
    "Я": "IA",
    # Tajik
    "Ҷ": "DZH",
    "Ҳ": "KH",
    "Қ": "K",
    "Ғ": "G",
    "Ӣ": "I",
    "Ӯ": "U",
    # Kazakh / Kyrgyz / Uzbek
    "Ә": "A",
    "Ө": "O",
    "Ұ": "U",
    "Ү": "U",
    "Ң": "N",
    "І": "I",
    "Һ": "H",
    "Ў": "U",
}

PRESS_CA = dict(ICAO)
PRESS_CA.update(
    {
        "Ж": "J",
        "Ҷ": "J",
        "Ҳ": "H",
        "Һ": "H",
        "Ю": "YU",
        "Я": "YA",
        "Й": "Y",
        "Ё": "YO",
        "Ғ": "GH",
        "Ъ": "",
        "Ң": "NG",
    }
)
PRESS_RU = dict(ICAO)
PRESS_RU.update({"Ю": "YU", "Я": "YA", "Й": "Y", "Ё": "YO", "Ъ": "", "Ь": ""})

UZ_LATIN = {
    "А": "A",
    "Б": "B",
    "В": "V",
    "Г": "G",
    "Д": "D",
    "Е": "E",
    "Ё": "YO",
    "Ж": "J",
    "З": "Z",
    "И": "I",
    "Й": "Y",
    "К": "K",
    "Л": "L",
    "М": "M",
    "Н": "N",
    "О": "O",
    "П": "P",
    "Р": "R",
    "С": "S",
    "Т": "T",
    "У": "U",
    "Ф": "F",
    "Х": "X",
    "Ц": "TS",
    "Ч": "CH",
    "Ш": "SH",
    "Ъ": "'",
    "Ь": "",
    "Э": "E",
    "Ю": "YU",
    "Я": "YA",
    "Ў": "O'",
    "Қ": "Q",
    "Ғ": "G'",
    "Ҳ": "H",
    "Ҷ": "J",
}

VOWELS_CYR = set("АЕЁИОУЫЭЮЯӢӮӘӨҰҮІЎ")


def _translit(
    word: str, table: dict[str, str], *, initial_ye: bool = False, press_ru: bool = False
) -> str:
    w = word.upper()
    if press_ru:
        w = re.sub(r"(ИЙ|ЫЙ)\b", "Y", w)
    out = []
    for i, ch in enumerate(w):
        prev = w[i - 1] if i else " "
        if initial_ye and ch == "Е" and (prev == " " or prev in VOWELS_CYR):
            out.append("YE")
            continue
        if ch == "Y":  # already replaced ending
            out.append("Y")
            continue
        out.append(table.get(ch, ch))
    return "".join(out)


def icao(text: str) -> str:
    return _translit(text, ICAO)


def press(text: str, nat: str) -> str:
    if nat == "RUS":
        return cap(_translit(text, PRESS_RU, initial_ye=True, press_ru=True))
    return cap(_translit(text, PRESS_CA))


def uz_latin(text: str) -> str:
    return cap(_translit(text, UZ_LATIN, initial_ye=True))


def cap(text: str) -> str:
    """Capitalise each word: first letter upper, rest lower (keeps O' G')."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in text.split(" "))


def norm_tokens(text: str) -> tuple[str, ...]:
    s = anyascii(text).upper()
    s = re.sub(r"[^A-Z]+", " ", s)
    return tuple(sorted(s.split()))


# --------------------------------------------------------------------------
# Central Asian and Russian names in Cyrillic, written by hand. Weight = rough
# frequency rank (higher = more common).

TJ_M = {
    "Муҳаммад": 10,
    "Ҷамшед": 5,
    "Фаррух": 4,
    "Фирдавс": 3,
    "Шаҳзод": 3,
    "Суҳроб": 4,
    "Рустам": 5,
    "Баҳром": 4,
    "Далер": 4,
    "Зафар": 3,
    "Умед": 4,
    "Хуршед": 4,
    "Искандар": 3,
    "Абдуллоҳ": 4,
    "Ҳусейн": 3,
    "Алишер": 3,
    "Комрон": 3,
    "Меҳроҷ": 2,
    "Нозим": 2,
    "Шерзод": 3,
    "Парвиз": 4,
    "Қодир": 2,
    "Ғафур": 2,
    "Раҳим": 3,
    "Файзулло": 2,
    "Ҷалолиддин": 2,
    "Носир": 2,
    "Саидҷон": 2,
    "Азиз": 3,
    "Сафар": 2,
    "Фаридун": 2,
    "Ҳасан": 3,
    "Маҳмуд": 3,
    "Исмоил": 2,
    "Юсуф": 3,
    "Шоҳрух": 3,
    "Манучеҳр": 3,
    "Раҷаб": 2,
    "Амриддин": 2,
    "Эмомалӣ": 2,
    "Сайвали": 1,
    "Неъмат": 1,
    "Абдураҳим": 2,
    "Зоир": 1,
    "Бахтиёр": 3,
    "Нуриддин": 2,
    "Аҳмад": 3,
}
TJ_F = {
    "Мадина": 5,
    "Нилуфар": 4,
    "Гулноза": 3,
    "Зарина": 4,
    "Шаҳло": 3,
    "Малика": 4,
    "Дилноза": 3,
    "Парвина": 3,
    "Таҳмина": 3,
    "Фарзона": 3,
    "Мавзуна": 2,
    "Гулрухсор": 2,
    "Меҳрангез": 2,
    "Сарвиноз": 2,
    "Ситора": 3,
    "Нигина": 3,
    "Шабнам": 2,
    "Фотима": 3,
    "Муниса": 2,
    "Зулфия": 2,
}
TJ_STEMS = {
    "Раҳмон": 5,
    "Карим": 5,
    "Раҳим": 4,
    "Саид": 4,
    "Шариф": 4,
    "Назар": 4,
    "Давлат": 3,
    "Қурбон": 4,
    "Ҳайдар": 3,
    "Ашур": 3,
    "Мирзо": 4,
    "Султон": 3,
    "Асад": 3,
    "Норов": 0,
    "Ҳасан": 3,
    "Ҷалол": 2,
    "Одина": 3,
    "Бобо": 3,
    "Сафар": 3,
    "Ёқуб": 2,
    "Холмат": 2,
    "Нуриддин": 2,
    "Ғаффор": 2,
    "Шоҳ": 1,
    "Сайф": 2,
    "Ҳамид": 3,
    "Зиё": 2,
    "Назир": 2,
    "Амин": 2,
    "Файзулло": 2,
    "Раҷаб": 2,
    "Ҷумъа": 0,
    "Исмоил": 3,
    "Юсуф": 3,
    "Ҳаким": 2,
    "Мурод": 3,
    "Давроn": 0,
    "Тоҷиддин": 1,
    "Зоир": 1,
    "Абдулло": 3,
    "Ҳусейн": 2,
    "Олим": 2,
    "Шукур": 2,
    "Умар": 2,
    "Қодир": 2,
    "Маҳмуд": 2,
}
TJ_STEMS = {
    k: v for k, v in TJ_STEMS.items() if v and re.fullmatch(r"[А-Яа-яЁёҶҷҲҳҚқҒғӢӣӮӯЪъ]+", k)
}

UZ_M = {
    "Алишер": 5,
    "Шавкат": 3,
    "Жасур": 4,
    "Ўткир": 3,
    "Баҳтиёр": 4,
    "Дилшод": 4,
    "Отабек": 4,
    "Жамшид": 4,
    "Фаррух": 3,
    "Санжар": 4,
    "Бобур": 4,
    "Азиз": 3,
    "Улуғбек": 4,
    "Шуҳрат": 3,
    "Равшан": 3,
    "Ҳамид": 2,
    "Қаҳрамон": 2,
    "Тоҳир": 2,
    "Нодир": 2,
    "Абдулазиз": 2,
    "Муҳаммад": 6,
    "Шерзод": 3,
    "Акмал": 3,
    "Ислом": 3,
    "Зафар": 2,
    "Тимур": 3,
    "Ботир": 2,
    "Шоҳруҳ": 2,
    "Анвар": 3,
    "Элёр": 2,
}
UZ_F = {
    "Гулнора": 4,
    "Дилфуза": 3,
    "Нодира": 3,
    "Шаҳноза": 4,
    "Мафтуна": 3,
    "Зулфия": 3,
    "Феруза": 3,
    "Нигора": 3,
    "Мадина": 3,
    "Дилором": 2,
    "Гулчеҳра": 2,
    "Севара": 3,
    "Моҳира": 2,
    "Юлдуз": 2,
}
UZ_SURN = {
    "Каримов": 5,
    "Усмонов": 4,
    "Тошматов": 3,
    "Юсупов": 4,
    "Мирзаев": 4,
    "Рашидов": 3,
    "Ҳамидов": 3,
    "Қодиров": 3,
    "Абдуллаев": 5,
    "Эргашев": 4,
    "Раҳимов": 4,
    "Норматов": 3,
    "Исмоилов": 4,
    "Султонов": 3,
    "Ғуломов": 3,
    "Холматов": 3,
    "Турсунов": 4,
    "Хўжаев": 3,
    "Азимов": 3,
    "Сайфуллаев": 2,
    "Тошпўлатов": 2,
    "Мўминов": 3,
    "Юнусов": 3,
    "Ўроқов": 2,
    "Жўраев": 3,
}

KZ_M = {
    "Нұрсұлтан": 2,
    "Асқар": 3,
    "Ержан": 4,
    "Дәурен": 3,
    "Бауыржан": 4,
    "Қайрат": 4,
    "Серік": 4,
    "Ғалым": 2,
    "Мұрат": 4,
    "Талғат": 3,
    "Ерлан": 4,
    "Әлібек": 2,
    "Жанболат": 2,
    "Арман": 4,
    "Мақсат": 3,
    "Нұрлан": 4,
    "Айдос": 2,
    "Ерболат": 3,
    "Дархан": 3,
    "Санжар": 2,
}
KZ_F = {
    "Әйгерім": 4,
    "Гүлнар": 3,
    "Айгүл": 4,
    "Жанар": 3,
    "Ақмарал": 2,
    "Динара": 3,
    "Мөлдір": 3,
    "Сәуле": 3,
    "Ләззат": 2,
    "Гүлмира": 3,
    "Ботагөз": 2,
    "Аружан": 3,
}
KZ_SURN = {
    "Назарбаев": 2,
    "Тоқаев": 2,
    "Жұмабаев": 4,
    "Әбілов": 3,
    "Оспанов": 4,
    "Сәрсенбаев": 3,
    "Құнанбаев": 2,
    "Ахметов": 5,
    "Есенов": 3,
    "Мұқанов": 3,
    "Төлеуов": 2,
    "Қасымов": 4,
    "Бекболатов": 3,
    "Әлиев": 4,
    "Нұрмағамбетов": 2,
    "Смағұлов": 3,
    "Сейтқалиев": 2,
    "Омаров": 4,
    "Серікбаев": 3,
    "Жақсылықов": 2,
}

KG_M = {
    "Алмазбек": 3,
    "Азамат": 4,
    "Бакыт": 4,
    "Нурлан": 4,
    "Эрлан": 3,
    "Улан": 3,
    "Талант": 3,
    "Жыргалбек": 2,
    "Мирлан": 3,
    "Айбек": 4,
    "Бекжан": 3,
    "Канат": 3,
    "Сооронбай": 1,
    "Темир": 3,
    "Садыр": 2,
    "Нурбек": 4,
    "Эркин": 3,
    "Жоомарт": 2,
}
KG_F = {
    "Айжамал": 3,
    "Гүлзат": 3,
    "Нургүл": 3,
    "Жылдыз": 4,
    "Бермет": 3,
    "Чолпон": 3,
    "Айпери": 3,
    "Динара": 3,
    "Асель": 4,
    "Назгүл": 3,
}
KG_SURN = {
    "Атамбаев": 2,
    "Жээнбеков": 2,
    "Жапаров": 3,
    "Ташиев": 3,
    "Осмонов": 4,
    "Токтогулов": 3,
    "Абдыкадыров": 3,
    "Мамытов": 4,
    "Сатыбалдиев": 3,
    "Бакиев": 2,
    "Кулов": 2,
    "Усенов": 3,
    "Жумалиев": 4,
    "Эсенов": 3,
    "Асанов": 4,
    "Токтосунов": 3,
    "Бообеков": 2,
    "Сыдыков": 3,
}

RU_M = {
    "Александр": 6,
    "Сергей": 6,
    "Дмитрий": 5,
    "Андрей": 5,
    "Алексей": 5,
    "Максим": 4,
    "Евгений": 4,
    "Иван": 4,
    "Михаил": 4,
    "Никита": 3,
    "Юрий": 3,
    "Владимир": 4,
    "Павел": 3,
    "Артём": 3,
    "Кирилл": 3,
    "Роман": 3,
    "Игорь": 3,
    "Олег": 3,
    "Денис": 3,
    "Виктор": 3,
}
RU_F = {
    "Елена": 5,
    "Ольга": 5,
    "Наталья": 5,
    "Юлия": 4,
    "Анастасия": 4,
    "Татьяна": 4,
    "Ирина": 4,
    "Екатерина": 4,
    "Мария": 4,
    "Ксения": 3,
    "Светлана": 4,
    "Людмила": 3,
    "Александра": 2,
    "Дарья": 3,
}
RU_SURN = {
    "Иванов": 6,
    "Смирнов": 6,
    "Кузнецов": 5,
    "Попов": 5,
    "Васильев": 4,
    "Петров": 4,
    "Соколов": 4,
    "Михайлов": 4,
    "Новиков": 4,
    "Фёдоров": 4,
    "Морозов": 4,
    "Волков": 4,
    "Алексеев": 3,
    "Лебедев": 3,
    "Семёнов": 3,
    "Егоров": 3,
    "Павлов": 3,
    "Козлов": 3,
    "Степанов": 3,
    "Николаев": 3,
    "Орлов": 3,
    "Захаров": 3,
    "Зайцев": 3,
    "Соловьёв": 3,
    "Борисов": 3,
    "Яковлев": 3,
    "Щербаков": 2,
    "Журавлёв": 2,
    "Чернов": 2,
    "Юдин": 2,
    "Шевченко": 2,
    "Хохлов": 2,
    "Цветков": 2,
    "Жуков": 3,
}
RU_PATRO = {
    "Александр": ("Александрович", "Александровна"),
    "Сергей": ("Сергеевич", "Сергеевна"),
    "Дмитрий": ("Дмитриевич", "Дмитриевна"),
    "Андрей": ("Андреевич", "Андреевна"),
    "Алексей": ("Алексеевич", "Алексеевна"),
    "Максим": ("Максимович", "Максимовна"),
    "Евгений": ("Евгеньевич", "Евгеньевна"),
    "Иван": ("Иванович", "Ивановна"),
    "Михаил": ("Михайлович", "Михайловна"),
    "Юрий": ("Юрьевич", "Юрьевна"),
    "Владимир": ("Владимирович", "Владимировна"),
    "Павел": ("Павлович", "Павловна"),
    "Игорь": ("Игоревич", "Игоревна"),
    "Олег": ("Олегович", "Олеговна"),
    "Виктор": ("Викторович", "Викторовна"),
    "Роман": ("Романович", "Романовна"),
}


def fem_surname(s: str) -> str:
    if s.endswith(("ов", "ев", "ёв", "ин")):
        return s + "а"
    return s


def ca_patronymic(father: str, female: bool) -> str:
    base = father.rstrip("ӣ")
    if base[-1].upper() in VOWELS_CYR:
        return base + ("евна" if female else "евич")
    return base + ("овна" if female else "ович")


# --------------------------------------------------------------------------
# Arabic-script names: (script form, passport spellings, press spellings)

AF_GIVEN_M = [
    ("محمد", ["MOHAMMAD", "MOHAMMED", "MUHAMMAD"], ["Mohammad", "Muhammad"], 12),
    ("احمد", ["AHMAD", "AHMED"], ["Ahmad"], 6),
    ("عبدالله", ["ABDULLAH", "ABDULLA"], ["Abdullah"], 4),
    ("حمید", ["HAMID", "HAMEED"], ["Hamid"], 3),
    ("نجیب", ["NAJIB", "NAJEEB"], ["Najib"], 2),
    ("فرید", ["FARID", "FAREED"], ["Farid"], 3),
    ("رحیم", ["RAHIM", "RAHEEM"], ["Rahim"], 3),
    ("کریم", ["KARIM", "KAREEM"], ["Karim"], 3),
    ("جاوید", ["JAWID", "JAVED", "JAWED"], ["Javid"], 3),
    ("نور", ["NOOR", "NUR"], ["Nur"], 3),
    ("شفیق", ["SHAFIQ", "SHAFIK"], ["Shafiq"], 2),
    ("ذبیح الله", ["ZABIHULLAH", "ZABIULLAH"], ["Zabihullah"], 2),
    ("عزیز", ["AZIZ"], ["Aziz"], 3),
    ("حبیب", ["HABIB", "HABEEB"], ["Habib"], 2),
    ("رحمت الله", ["RAHMATULLAH", "RAHMATULLA"], ["Rahmatullah"], 2),
    ("نصیر", ["NASIR", "NASEER"], ["Nasir"], 2),
    ("سمیع الله", ["SAMIULLAH", "SAMIULLA"], ["Samiullah"], 2),
    ("ولی", ["WALI", "VALI"], ["Wali"], 2),
    ("مسعود", ["MASOOD", "MASUD", "MASOUD"], ["Masood"], 2),
    ("شریف", ["SHARIF", "SHAREEF"], ["Sharif"], 2),
    ("گل", ["GUL"], ["Gul"], 2),
    ("ظاهر", ["ZAHIR", "ZAHER"], ["Zahir"], 2),
    ("اسدالله", ["ASADULLAH", "ASADULLA"], ["Asadullah"], 2),
    ("عبدالرحمن", ["ABDULRAHMAN", "ABDUL RAHMAN"], ["Abdul Rahman"], 3),
]
AF_GIVEN_F = [
    ("فاطمه", ["FATIMA", "FATEMA"], ["Fatima"], 4),
    ("مریم", ["MARYAM", "MARIAM"], ["Maryam"], 4),
    ("زهرا", ["ZAHRA"], ["Zahra"], 3),
    ("شبنم", ["SHABNAM"], ["Shabnam"], 2),
    ("فریبا", ["FARIBA"], ["Fariba"], 2),
    ("ملالی", ["MALALAI", "MALALAY"], ["Malalai"], 2),
    ("نازنین", ["NAZANIN"], ["Nazanin"], 2),
]
AF_SURN = [
    ("احمدزی", ["AHMADZAI", "AHMADZAY"], ["Ahmadzai"], 3),
    ("پوپلزی", ["POPALZAI", "POPALZAY"], ["Popalzai"], 2),
    ("ستانکزی", ["STANIKZAI", "STANEKZAI"], ["Stanikzai"], 2),
    ("حیدری", ["HAIDARI", "HAIDERI", "HAYDARI"], ["Haidari"], 3),
    ("رحیمی", ["RAHIMI", "RAHEEMI"], ["Rahimi"], 3),
    ("کریمی", ["KARIMI", "KAREEMI"], ["Karimi"], 3),
    ("نوری", ["NOORI", "NURI"], ["Noori"], 3),
    ("صافی", ["SAFI"], ["Safi"], 3),
    ("هاشمی", ["HASHIMI", "HASHEMI"], ["Hashimi"], 3),
    ("محمدی", ["MOHAMMADI", "MOHAMMEDI"], ["Mohammadi"], 4),
    ("عزیزی", ["AZIZI"], ["Azizi"], 3),
    ("امیری", ["AMIRI", "AMEERI"], ["Amiri"], 2),
    ("یوسفزی", ["YOUSUFZAI", "YUSUFZAI"], ["Yousafzai"], 2),
    ("سلطانی", ["SULTANI", "SOLTANI"], ["Sultani"], 2),
    ("وردک", ["WARDAK", "VARDAK"], ["Wardak"], 2),
    ("نیازی", ["NIAZI", "NIYAZI"], ["Niazi"], 2),
    ("خان", ["KHAN"], ["Khan"], 4),
    ("صدیقی", ["SIDDIQI", "SEDDIQI"], ["Siddiqi"], 2),
]
AR_GIVEN_M = [
    ("محمد", ["MOHAMMED", "MOHAMED", "MUHAMMAD"], ["Mohammed"], 12),
    ("أحمد", ["AHMED", "AHMAD"], ["Ahmed"], 6),
    ("علي", ["ALI"], ["Ali"], 5),
    ("حسن", ["HASSAN", "HASAN"], ["Hassan"], 4),
    ("حسين", ["HUSSEIN", "HUSSAIN", "HUSEIN"], ["Hussein"], 4),
    ("عمر", ["OMAR", "UMAR"], ["Omar"], 4),
    ("خالد", ["KHALED", "KHALID"], ["Khaled"], 4),
    ("يوسف", ["YOUSEF", "YOUSSEF", "YUSUF"], ["Youssef"], 4),
    ("إبراهيم", ["IBRAHIM", "EBRAHIM"], ["Ibrahim"], 4),
    ("عبد الرحمن", ["ABDULRAHMAN", "ABDELRAHMAN", "ABD ALRAHMAN"], ["Abdul Rahman"], 3),
    ("سعيد", ["SAEED", "SAID"], ["Saeed"], 3),
    ("مصطفى", ["MUSTAFA", "MOSTAFA"], ["Mustafa"], 3),
    ("طارق", ["TAREK", "TARIQ"], ["Tariq"], 2),
    ("ماجد", ["MAJED", "MAJID"], ["Majid"], 2),
    ("عبد الله", ["ABDULLAH", "ABDALLAH"], ["Abdullah"], 4),
    ("صالح", ["SALEH", "SALIH"], ["Saleh"], 3),
    ("فيصل", ["FAISAL", "FAYSAL"], ["Faisal"], 2),
]
AR_FAMILY = [
    ("العلي", ["ALALI", "AL ALI"], ["al-Ali"], 3),
    ("الحسن", ["ALHASSAN", "AL HASSAN"], ["al-Hassan"], 3),
    ("الشمري", ["ALSHAMMARI", "AL SHAMMARI", "ALSHAMARI"], ["al-Shammari"], 3),
    ("العتيبي", ["ALOTAIBI", "AL OTAIBI", "ALOTAIBY"], ["al-Otaibi"], 3),
    ("المصري", ["ALMASRI", "AL MASRI", "ELMASRY"], ["al-Masri"], 2),
    ("الخطيب", ["ALKHATIB", "AL KHATEEB", "ELKHATIB"], ["al-Khatib"], 2),
    ("حداد", ["HADDAD"], ["Haddad"], 3),
    ("النجار", ["ALNAJJAR", "AL NAJJAR", "ELNAGGAR"], ["al-Najjar"], 2),
    ("القحطاني", ["ALQAHTANI", "AL QAHTANI", "ALKAHTANI"], ["al-Qahtani"], 3),
    ("الزهراني", ["ALZAHRANI", "AL ZAHRANI"], ["al-Zahrani"], 2),
    ("منصور", ["MANSOUR", "MANSOOR", "MANSUR"], ["Mansour"], 3),
    ("عثمان", ["OTHMAN", "OSMAN", "USMAN"], ["Othman"], 3),
    ("سليمان", ["SULEIMAN", "SULAIMAN", "SOLIMAN"], ["Suleiman"], 3),
    ("الدوسري", ["ALDOSARI", "AL DOSARI", "ALDOSSARY"], ["al-Dosari"], 2),
    ("العمري", ["ALOMARI", "AL OMARI"], ["al-Omari"], 2),
]
IR_GIVEN_M = [
    ("محمد", ["MOHAMMAD", "MOHAMAD"], ["Mohammad"], 10),
    ("علی", ["ALI"], ["Ali"], 6),
    ("رضا", ["REZA"], ["Reza"], 5),
    ("حسین", ["HOSSEIN", "HOSEIN", "HOSSAIN"], ["Hossein"], 5),
    ("مهدی", ["MEHDI", "MAHDI"], ["Mahdi"], 4),
    ("امیر", ["AMIR"], ["Amir"], 4),
    ("سعید", ["SAEID", "SAEED", "SAID"], ["Saeed"], 3),
    ("مجید", ["MAJID"], ["Majid"], 3),
]
IR_GIVEN_F = [
    ("فاطمه", ["FATEMEH", "FATEME"], ["Fatemeh"], 4),
    ("زهرا", ["ZAHRA"], ["Zahra"], 4),
    ("مریم", ["MARYAM"], ["Maryam"], 4),
    ("نرگس", ["NARGES"], ["Narges"], 2),
]
IR_SURN = [
    ("احمدی", ["AHMADI"], ["Ahmadi"], 4),
    ("حسینی", ["HOSSEINI", "HOSEINI"], ["Hosseini"], 5),
    ("رضایی", ["REZAEI", "REZAIE", "REZAEE"], ["Rezaei"], 4),
    ("محمدی", ["MOHAMMADI"], ["Mohammadi"], 5),
    ("کریمی", ["KARIMI"], ["Karimi"], 3),
    ("موسوی", ["MOUSAVI", "MOUSSAVI", "MUSAVI"], ["Mousavi"], 3),
    ("جعفری", ["JAFARI", "JAFFARI"], ["Jafari"], 3),
    ("رحیمی", ["RAHIMI"], ["Rahimi"], 3),
    ("صادقی", ["SADEGHI", "SADEQI"], ["Sadeghi"], 3),
    ("قاسمی", ["GHASEMI", "QASEMI"], ["Ghasemi"], 3),
]

COMMON_PARTS = [
    "MUHAMMAD",
    "MOHAMMAD",
    "MOHAMMED",
    "ALI",
    "AHMAD",
    "AHMED",
    "ABDULLAH",
    "KHAN",
    "HASSAN",
    "HUSSEIN",
    "ABDUL",
    "OMAR",
    "IBRAHIM",
    "YUSUF",
    "SAEED",
    "MAHMOUD",
    "ABU",
    "AL",
    "BIN",
    "HAJI",
    "MULLAH",
    "GUL",
    "NOOR",
    "HAFIZ",
]

# Different names that look alike (label 0 pairs).
NEAR_GIVEN = [
    ("MAHMUD", "MUHAMMAD"),
    ("HASAN", "HUSSEIN"),
    ("HASAN", "HUSAIN"),
    ("SAFAR", "JAFAR"),
    ("ALI", "ALIM"),
    ("AZIZ", "AZIM"),
    ("RAHIM", "RAHMAN"),
    ("KARIM", "KARAM"),
    ("FARID", "FARIDUN"),
    ("SAID", "SAJID"),
    ("NASIR", "NAZIR"),
    ("JAMSHED", "JAMOL"),
    ("RUSTAM", "RUSLAN"),
    ("AHMAD", "AHAD"),
    ("UMAR", "UMID"),
    ("DILSHOD", "DILMUROD"),
    ("ZAFAR", "ZAKIR"),
    ("BAKHROM", "BAKHTIER"),
    ("FARRUKH", "FAROKH"),
    ("SHERZOD", "SHAHZOD"),
    ("ISMOIL", "ISROIL"),
    ("YUSUF", "YUNUS"),
    ("KAMOL", "KOMIL"),
    ("ANVAR", "AKBAR"),
    ("SALIM", "SALMAN"),
    ("DMITRII", "DENIS"),
    ("IGOR", "EGOR"),
    ("OLEG", "OLEKSII"),
    ("TIMUR", "TEMIR"),
    ("MURAT", "MURTAZA"),
]
NEAR_SURN = [
    ("KARIMOV", "RAHIMOV"),
    ("KARIMOV", "KASIMOV"),
    ("NAZAROV", "NAZIROV"),
    ("RASHIDOV", "RASULOV"),
    ("YUSUPOV", "YUNUSOV"),
    ("ISMOILOV", "ISROILOV"),
    ("SAFAROV", "JAFAROV"),
    ("KHASANOV", "KHUSAINOV"),
    ("MAHMUDOV", "MUHAMMADOV"),
    ("ALIEV", "ALIMOV"),
    ("AZIZOV", "AZIMOV"),
    ("TURSUNOV", "TURGUNOV"),
    ("SOBIROV", "SODIKOV"),
    ("ERGASHEV", "ERKINOV"),
    ("SAIDOV", "SAIFOV"),
    ("KHAMIDOV", "KHALIMOV"),
    ("MIRZOEV", "MIRZAKHMEDOV"),
    ("DAVLATOV", "DAVRONOV"),
    ("KURBONOV", "KURBANALIEV"),
    ("SHARIPOV", "SHUKUROV"),
    ("IVANOV", "IVASHOV"),
    ("PETROV", "PETRENKO"),
    ("SMIRNOV", "SMIRNITSKII"),
    ("SOKOLOV", "SOKOLENKO"),
    ("RAHIMI", "RAHMANI"),
    ("KARIMI", "KAZEMI"),
    ("HAIDARI", "HAMIDI"),
    ("AHMADZAI", "AHMADI"),
    ("NOORI", "NAZARI"),
    ("SAFI", "SAFARI"),
]
GENDER_FORMS = [
    ("ALEKSANDR", "ALEKSANDRA"),
    ("EVGENII", "EVGENIIA"),
    ("VALENTIN", "VALENTINA"),
    ("VIKTOR", "VIKTORIIA"),
    ("STANISLAV", "STANISLAVA"),
    ("IAROSLAV", "IAROSLAVA"),
    ("VLADISLAV", "VLADISLAVA"),
    ("KARIM", "KARIMA"),
    ("ZARIF", "ZARIFA"),
    ("NAZIR", "NAZIRA"),
    ("RAHIM", "RAHIMA"),
    ("JAMIL", "JAMILA"),
    ("MALIK", "MALIKA"),
    ("FARID", "FARIDA"),
    ("DILSHOD", "DILSHODA"),
    ("ALI", "ALIA"),
    ("SAID", "SAIDA"),
    ("NODIR", "NODIRA"),
    ("ANVAR", "ANVARA"),
    ("GULOM", "GULOMA"),
]
GENDER_SURN = [
    ("IVANOV", "IVANOVA"),
    ("KARIMOV", "KARIMOVA"),
    ("SAIDOV", "SAIDOVA"),
    ("RAKHIMOV", "RAKHIMOVA"),
    ("PETROV", "PETROVA"),
    ("NAZAROV", "NAZAROVA"),
    ("SMIRNOV", "SMIRNOVA"),
    ("ALIEV", "ALIEVA"),
    ("ABDULLAEV", "ABDULLAEVA"),
    ("KURBONOV", "KURBONOVA"),
    ("MIRZOEV", "MIRZOEVA"),
    ("OSMONOV", "OSMONOVA"),
]

# --------------------------------------------------------------------------
# Innocent travellers: other nationalities in passport Latin with weights.

TR_M = {
    "MEHMET": 10,
    "MUSTAFA": 8,
    "AHMET": 7,
    "ALI": 6,
    "HUSEYIN": 5,
    "HASAN": 5,
    "IBRAHIM": 4,
    "ISMAIL": 4,
    "OSMAN": 3,
    "YUSUF": 4,
    "MURAT": 4,
    "EMRE": 3,
    "OMER": 3,
    "BURAK": 3,
    "FATIH": 3,
    "RAMAZAN": 3,
}
TR_F = {
    "AYSE": 6,
    "FATMA": 6,
    "EMINE": 5,
    "HATICE": 5,
    "ZEYNEP": 5,
    "ELIF": 4,
    "MERVE": 3,
    "SULTAN": 2,
    "HULYA": 2,
}
TR_SURN = {
    "YILMAZ": 10,
    "KAYA": 7,
    "DEMIR": 7,
    "SAHIN": 6,
    "CELIK": 6,
    "YILDIZ": 5,
    "YILDIRIM": 5,
    "OZTURK": 5,
    "AYDIN": 5,
    "OZDEMIR": 4,
    "ARSLAN": 4,
    "DOGAN": 4,
    "KILIC": 4,
    "ASLAN": 3,
    "CETIN": 3,
    "KARA": 3,
    "KOC": 3,
    "KURT": 3,
    "OZKAN": 2,
}
CN_SURN = {
    "WANG": 10,
    "LI": 10,
    "ZHANG": 9,
    "LIU": 7,
    "CHEN": 6,
    "YANG": 5,
    "HUANG": 4,
    "ZHAO": 4,
    "WU": 4,
    "ZHOU": 4,
    "XU": 3,
    "SUN": 3,
    "MA": 3,
    "ZHU": 3,
    "HU": 3,
    "GUO": 3,
    "HE": 3,
    "LIN": 2,
    "LUO": 2,
    "GAO": 2,
}
CN_GIVEN = {
    "WEI": 6,
    "FANG": 4,
    "NA": 3,
    "MIN": 3,
    "JING": 4,
    "LEI": 4,
    "JUN": 4,
    "YANG": 3,
    "YONG": 3,
    "YAN": 4,
    "JIE": 3,
    "TAO": 3,
    "MING": 3,
    "CHAO": 2,
    "XIULAN": 2,
    "XIAOMING": 2,
    "HAIYAN": 2,
    "JIANHUA": 2,
    "JIANGUO": 2,
    "LIPING": 2,
    "ZHIQIANG": 2,
    "XIN": 3,
    "HUI": 2,
    "QIANG": 2,
}
IN_M = {
    "MOHAMMED": 6,
    "RAHUL": 4,
    "AMIT": 4,
    "RAJESH": 4,
    "SURESH": 4,
    "SUNIL": 4,
    "ANIL": 3,
    "VIJAY": 3,
    "DEEPAK": 3,
    "SANJAY": 4,
    "RAVI": 3,
    "ABDUL": 3,
    "IMRAN": 2,
    "ARJUN": 3,
    "RAMESH": 3,
    "MANOJ": 3,
}
IN_F = {
    "PRIYA": 4,
    "SUNITA": 4,
    "ANITA": 3,
    "POOJA": 4,
    "NEHA": 3,
    "KAVITA": 3,
    "LAKSHMI": 3,
    "FATIMA": 2,
}
IN_SURN = {
    "KUMAR": 10,
    "SINGH": 9,
    "SHARMA": 6,
    "PATEL": 6,
    "GUPTA": 4,
    "KHAN": 4,
    "YADAV": 4,
    "DAS": 3,
    "REDDY": 3,
    "SHAIKH": 3,
    "AHMED": 2,
    "VERMA": 3,
    "JAIN": 2,
    "NAIR": 2,
    "MISHRA": 3,
}
EU = {
    "DEU": (
        {
            "THOMAS": 4,
            "MICHAEL": 4,
            "ANDREAS": 3,
            "STEFAN": 3,
            "PETER": 3,
            "KLAUS": 2,
            "JAN": 2,
            "LUKAS": 2,
        },
        {"ANNA": 3, "MARIA": 3, "JULIA": 3, "SABINE": 2, "LAURA": 2, "KATHARINA": 2},
        {
            "MUELLER": 6,
            "SCHMIDT": 5,
            "SCHNEIDER": 4,
            "FISCHER": 4,
            "WEBER": 3,
            "MEYER": 3,
            "WAGNER": 3,
            "BECKER": 3,
            "HOFFMANN": 3,
        },
    ),
    "FRA": (
        {"JEAN": 4, "PIERRE": 3, "NICOLAS": 3, "PHILIPPE": 3, "THOMAS": 2, "ALEXANDRE": 2},
        {"MARIE": 4, "NATHALIE": 3, "ISABELLE": 3, "SOPHIE": 2, "CAMILLE": 2},
        {
            "MARTIN": 5,
            "BERNARD": 4,
            "DUBOIS": 4,
            "THOMAS": 3,
            "ROBERT": 3,
            "PETIT": 3,
            "DURAND": 3,
            "LEROY": 2,
            "MOREAU": 2,
        },
    ),
    "GBR": (
        {"DAVID": 4, "JOHN": 4, "JAMES": 4, "MICHAEL": 3, "PAUL": 3, "MARK": 2},
        {"SARAH": 3, "EMMA": 3, "CLAIRE": 2, "HELEN": 2, "LUCY": 2},
        {
            "SMITH": 6,
            "JONES": 5,
            "WILLIAMS": 4,
            "TAYLOR": 4,
            "BROWN": 4,
            "DAVIES": 3,
            "EVANS": 3,
            "WILSON": 3,
        },
    ),
    "POL": (
        {"PIOTR": 4, "KRZYSZTOF": 3, "TOMASZ": 3, "PAWEL": 3, "MAREK": 2},
        {"ANNA": 4, "KATARZYNA": 3, "MAGDALENA": 3, "AGNIESZKA": 3},
        {"NOWAK": 5, "KOWALSKI": 4, "WISNIEWSKI": 3, "WOJCIK": 3, "KOWALCZYK": 3, "KAMINSKI": 3},
    ),
    "ITA": (
        {"MARCO": 4, "GIUSEPPE": 4, "GIOVANNI": 3, "ANDREA": 3, "LUCA": 3},
        {"FRANCESCA": 3, "GIULIA": 3, "CHIARA": 3, "SARA": 2},
        {"ROSSI": 5, "RUSSO": 4, "FERRARI": 4, "ESPOSITO": 4, "BIANCHI": 3, "ROMANO": 3},
    ),
}

NAT_WEIGHTS = {
    "TJK": 24,
    "UZB": 18,
    "KGZ": 8,
    "KAZ": 8,
    "RUS": 12,
    "AFG": 7,
    "IRN": 4,
    "TUR": 6,
    "CHN": 4,
    "IND": 4,
    "DEU": 1,
    "FRA": 1,
    "GBR": 1,
    "POL": 1,
    "ITA": 1,
}

# --------------------------------------------------------------------------
# Typo machinery

KEYBOARD = ["QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"]
NEIGH: dict[str, str] = {}
for r, row in enumerate(KEYBOARD):
    for c, ch in enumerate(row):
        n = []
        for dr in (-1, 0, 1):
            rr = r + dr
            if 0 <= rr < len(KEYBOARD):
                for dc in (-1, 0, 1):
                    cc = c + dc
                    if (dr or dc) and 0 <= cc < len(KEYBOARD[rr]):
                        n.append(KEYBOARD[rr][cc])
        NEIGH[ch] = "".join(n)
OCR = {
    "O": "QD",
    "Q": "O",
    "I": "L",
    "L": "I",
    "E": "F",
    "F": "E",
    "C": "G",
    "G": "C",
    "U": "V",
    "V": "U",
    "M": "N",
    "N": "MH",
    "H": "N",
    "B": "R",
    "R": "B",
    "D": "O",
}


def typo(word: str, rng: random.Random) -> tuple[str, str]:
    """One typist/OCR edit on an upper-case word; returns (new, kind of edit)."""
    for _ in range(20):
        op = rng.choice(["sub", "sub", "del", "ins", "transpose", "double"])
        letters = [i for i, ch in enumerate(word) if ch.isalpha()]
        if not letters:
            return word, "none"
        i = rng.choice(letters)
        ch = word[i]
        if op == "sub":
            pool = OCR.get(ch, "") if rng.random() < 0.3 else NEIGH.get(ch, "")
            if not pool:
                continue
            new = word[:i] + rng.choice(pool) + word[i + 1 :]
        elif op == "del":
            if len(word) <= 4:
                continue
            new = word[:i] + word[i + 1 :]
        elif op == "ins":
            new = word[:i] + rng.choice(NEIGH.get(ch, ch)) + word[i:]
        elif op == "transpose":
            if i + 1 >= len(word) or not word[i + 1].isalpha() or word[i + 1] == ch:
                continue
            new = word[:i] + word[i + 1] + ch + word[i + 2 :]
        else:
            dbl = [j for j in range(len(word) - 1) if word[j] == word[j + 1] and word[j].isalpha()]
            if dbl:
                j = rng.choice(dbl)
                new = word[:j] + word[j + 1 :]
                op = "undouble"
            else:
                new = word[:i] + ch + word[i:]
        if new != word:
            return new, op
    return word, "none"


def ascii_upper(text: str) -> str:
    s = anyascii(text).upper()
    s = re.sub(r"[^A-Z\- ']+", " ", s).replace("'", "")
    return re.sub(r"\s+", " ", s).strip()


# --------------------------------------------------------------------------


def wchoice(rng: random.Random, d: dict[str, int]) -> str:
    keys = list(d)
    return rng.choices(keys, weights=[d[k] for k in keys])[0]


def wchoice_t(rng: random.Random, lst: list) -> tuple:
    return rng.choices(lst, weights=[x[3] for x in lst])[0]


def rand_date(rng: random.Random, lo: int = 1950, hi: int = 2006, *, day_max: int = 28) -> dt.date:
    return dt.date(rng.randint(lo, hi), rng.randint(1, 12), rng.randint(1, day_max))


def perturb_dob(rng: random.Random, d: dt.date) -> tuple[str, str]:
    """DOB pair for a positive: equal / one year off / day-month swapped / missing."""
    r = rng.random()
    if r < 0.50:
        return d.isoformat(), d.isoformat()
    if r < 0.62:
        d2 = d.replace(year=d.year + rng.choice([-1, 1]))
        return d.isoformat(), d2.isoformat()
    if r < 0.74 and d.day <= 12 and d.day != d.month:
        return d.isoformat(), dt.date(d.year, d.day, d.month).isoformat()
    if r < 0.87:
        return d.isoformat(), ""
    return "", ""


def load_un():
    from openpiu.screening.loaders import load_un_xml

    return load_un_xml(UN_XML.read_bytes())


LATIN_OK = re.compile(r"^[A-Za-zÀ-ÿ\-' ]+$")


def un_names(entry) -> list[str]:
    """The list name and its good Latin aliases (short, clean ones)."""
    names = [" ".join(entry.name_parts)]
    for a in entry.aliases:
        if a.original_script or a.quality != "good" or a.family_first:
            continue
        t = a.text.strip()
        if LATIN_OK.match(t) and 2 <= len(t.split()) <= 5:
            names.append(t)
    return names


def exact_dob(entry) -> str:
    for b in entry.birth_dates:
        if b.year and b.month and b.day and not b.approximate and not b.year_to:
            return dt.date(b.year, b.month, b.day).isoformat()
    return ""


# --------------------------------------------------------------------------
# Pairs


def make_un_typo(rng: random.Random, persons) -> list[tuple]:
    rows = []
    pool = [e for e in persons if len(" ".join(e.name_parts).split()) >= 2]

    def base(e):
        names = un_names(e)
        right = names[0] if rng.random() < 0.8 or len(names) == 1 else rng.choice(names[1:])
        return right, ascii_upper(right)

    def dobs(e):
        d = exact_dob(e)
        if d and rng.random() < 0.5:
            return d, d
        return "", ""

    def edit_kind(n_edits: int, spread: bool, count: int, kind: str):
        made = 0
        order = pool[:]
        rng.shuffle(order)
        for e in order:
            if made >= count:
                break
            right, left = base(e)
            toks = left.split(" ")
            long_idx = [i for i, t in enumerate(toks) if len(t.replace("-", "")) >= 4]
            if not long_idx or (spread and len(long_idx) < 2):
                continue
            targets = rng.sample(long_idx, 2) if spread else [rng.choice(long_idx)] * n_edits
            for i in targets:
                toks[i], _ = typo(toks[i], rng)
            new = " ".join(toks)
            if new == left:
                continue
            rows.append((new, right, *dobs(e), 1, kind))
            made += 1

    edit_kind(1, False, 150, "un_typo:edit1")
    edit_kind(2, False, 60, "un_typo:edit2_one_part")
    edit_kind(2, True, 70, "un_typo:edit2_two_parts")

    # swapped part order
    order = pool[:]
    rng.shuffle(order)
    for e in order[:60]:
        right = " ".join(e.name_parts)
        parts = [ascii_upper(p) for p in e.name_parts]
        left = f"{parts[1]} {parts[0]}" if len(parts) == 2 else " ".join([parts[-1]] + parts[:-1])
        if left != ascii_upper(right):
            rows.append((left, right, *dobs(e), 1, "un_typo:swap_order"))

    # dropped middle part (>= 3 parts)
    three = [e for e in persons if len(e.name_parts) >= 3]
    rng.shuffle(three)
    for e in three[:50]:
        parts = [ascii_upper(p) for p in e.name_parts]
        k = rng.randrange(1, len(parts) - 1)
        left = " ".join(parts[:k] + parts[k + 1 :])
        rows.append((left, " ".join(e.name_parts), *dobs(e), 1, "un_typo:drop_middle"))

    # hyphen / space changes
    def hyphen_variants(up: str) -> list[str]:
        out = []
        if "-" in up:
            out += [up.replace("-", " "), up.replace("-", "")]
        if re.search(r"\bAL\b ", up):
            out += [re.sub(r"\bAL ", "AL-", up), re.sub(r"\bAL ", "AL", up)]
        if re.search(r"\bABD AL\b", up):
            out += [
                up.replace("ABD AL", "ABDAL"),
                up.replace("ABD AL ", "ABD AL-"),
                up.replace("ABD AL ", "ABDAL"),
            ]
        if re.search(r"\bABDUL\b ", up):
            out += [up.replace("ABDUL ", "ABDUL"), up.replace("ABDUL ", "ABDUL-")]
        if re.search(r"\bAL-", up):
            out.append(re.sub(r"\bAL-", "", up))
        return [v for v in dict.fromkeys(out) if v != up]

    cands = []
    for e in persons:
        for n in un_names(e):
            hv = hyphen_variants(ascii_upper(n))
            if hv:
                cands.append((e, n, hv))
    rng.shuffle(cands)
    seen = set()
    for e, n, hv in cands:
        if len(seen) >= 60:
            break
        if e.entry_id in seen:
            continue
        seen.add(e.entry_id)
        rows.append((rng.choice(hv), n, *dobs(e), 1, "un_typo:hyphen_space"))
    return rows


def cyr_person(rng: random.Random, nat: str, female: bool) -> dict:
    if nat == "TJK":
        given = wchoice(rng, TJ_F if female else TJ_M)
        stem = wchoice(rng, TJ_STEMS)
        father = wchoice(rng, TJ_M)
        suffix = "ев" if stem[-1].upper() in VOWELS_CYR else "ов"
        surname = stem + suffix + ("а" if female else "")
    elif nat == "UZB":
        given = wchoice(rng, UZ_F if female else UZ_M)
        surname = wchoice(rng, UZ_SURN)
        surname = fem_surname(surname) if female else surname
        stem, father = None, wchoice(rng, UZ_M)
    elif nat == "KAZ":
        given = wchoice(rng, KZ_F if female else KZ_M)
        surname = wchoice(rng, KZ_SURN)
        surname = fem_surname(surname) if female else surname
        stem, father = None, wchoice(rng, KZ_M)
    elif nat == "KGZ":
        given = wchoice(rng, KG_F if female else KG_M)
        surname = wchoice(rng, KG_SURN)
        surname = fem_surname(surname) if female else surname
        stem, father = None, wchoice(rng, KG_M)
    else:
        given = wchoice(rng, RU_F if female else RU_M)
        surname = wchoice(rng, RU_SURN)
        surname = fem_surname(surname) if female else surname
        stem, father = None, rng.choice(sorted(RU_PATRO))
    if nat == "RUS":
        patro = RU_PATRO[father][1 if female else 0]
    elif nat == "KAZ":
        patro = father + ("қызы" if female else "ұлы")
    elif nat == "KGZ":
        patro = father + (" кызы" if female else " уулу")
    else:
        patro = ca_patronymic(father, female)
    return {
        "nat": nat,
        "female": female,
        "given": given,
        "surname": surname,
        "stem": stem,
        "patro": patro,
        "dob": rand_date(rng, 1955, 2004),
    }


def make_cross_script(rng: random.Random) -> list[tuple]:
    rows = []
    seen_people = set()

    def fresh(nat, female):
        for _ in range(50):
            p = cyr_person(rng, nat, female)
            key = (p["given"], p["surname"], p["patro"])
            if key not in seen_people:
                seen_people.add(key)
                return p
        return p

    def left_icao(p, family_first=None):
        g, s = icao(p["given"]), icao(p["surname"])
        if family_first is None:
            family_first = rng.random() < 0.6
        return f"{s} {g}" if family_first else f"{g} {s}"

    nats = ["TJK"] * 4 + ["UZB"] * 3 + ["KAZ"] * 2 + ["KGZ"] * 2 + ["RUS"] * 3

    # Cyrillic original on the right
    for _ in range(90):
        nat = rng.choice(nats)
        p = fresh(nat, rng.random() < 0.3)
        right = (
            cap(f"{p['given']} {p['surname']}")
            if rng.random() < 0.5
            else cap(f"{p['surname']} {p['given']}")
        )
        rows.append((left_icao(p), right, *perturb_dob(rng, p["dob"]), 1, "cross_script:cyrillic"))

    # English press spelling
    for _ in range(80):
        nat = rng.choice(nats)
        p = fresh(nat, rng.random() < 0.3)
        right = f"{press(p['given'], nat)} {press(p['surname'], nat)}"
        rows.append((left_icao(p), right, *perturb_dob(rng, p["dob"]), 1, "cross_script:press"))

    # Uzbek national Latin
    for _ in range(50):
        p = fresh("UZB", rng.random() < 0.3)
        right = f"{uz_latin(p['given'])} {uz_latin(p['surname'])}"
        if rng.random() < 0.4:
            right = f"{uz_latin(p['surname'])} {uz_latin(p['given'])}"
        rows.append(
            (left_icao(p), right, *perturb_dob(rng, p["dob"]), 1, "cross_script:national_latin")
        )

    # Tajik surname forms: passport -OV/-EV vs list bare stem / -ZODA / -I
    for _ in range(60):
        p = fresh("TJK", rng.random() < 0.25)
        stem = p["stem"]
        form = rng.choice(["bare", "zoda", "zoda", "i"])
        if form == "bare":
            sur = stem
        elif form == "zoda":
            sur = stem + "зода"
        else:
            sur = stem + ("ӣ" if stem[-1].upper() not in VOWELS_CYR else "ӣ")
        script = rng.choice(["cyr", "press", "icao"])
        if script == "cyr":
            right = cap(f"{p['given']} {sur}")
        elif script == "press":
            right = f"{press(p['given'], 'TJK')} {press(sur, 'TJK')}"
        else:
            right = f"{icao(sur)} {icao(p['given'])}"
        rows.append(
            (
                left_icao(p),
                right,
                *perturb_dob(rng, p["dob"]),
                1,
                f"cross_script:tajik_surname_{form}",
            )
        )

    # Patronymic on one side only
    for _ in range(60):
        nat = rng.choice(nats)
        p = fresh(nat, rng.random() < 0.35)
        full = f"{p['surname']} {p['given']} {p['patro']}"
        if rng.random() < 0.5:
            right = cap(full)  # list: Cyrillic FIO
            left = left_icao(p)
        else:
            right = f"{press(p['given'], nat)} {press(p['surname'], nat)}"
            left = icao(full)  # left carries the patronymic
        rows.append((left, right, *perturb_dob(rng, p["dob"]), 1, "cross_script:patronymic"))

    # Arabic / Persian script
    def arab_person(kind):
        if kind == "AFG":
            female = rng.random() < 0.2
            g = wchoice_t(rng, AF_GIVEN_F if female else AF_GIVEN_M)
            parts = [g]
            if not female and rng.random() < 0.4:
                g2 = wchoice_t(rng, AF_GIVEN_M)
                if g2[0] != g[0]:
                    parts.append(g2)
            parts.append(wchoice_t(rng, AF_SURN))
        elif kind == "ARB":
            g = wchoice_t(rng, AR_GIVEN_M)
            f = wchoice_t(rng, AR_GIVEN_M)
            parts = [g, f] if f[0] != g[0] else [g]
            parts.append(wchoice_t(rng, AR_FAMILY))
        else:
            female = rng.random() < 0.3
            parts = [wchoice_t(rng, IR_GIVEN_F if female else IR_GIVEN_M), wchoice_t(rng, IR_SURN)]
        return parts

    seen_ar = set()
    for i in range(110):
        kind = rng.choice(["AFG", "AFG", "ARB", "IRN"])
        for _ in range(30):
            parts = arab_person(kind)
            key = tuple(x[0] for x in parts)
            if key not in seen_ar:
                seen_ar.add(key)
                break
        d = rand_date(rng, 1955, 2004)
        spelling = i % 3 == 2
        left_parts = []
        for x in parts:
            opts = x[1]
            if spelling:  # the passport spelling should differ from the press one when it can
                opts = [
                    v
                    for v in x[1]
                    if v.replace(" ", "") != x[2][0].upper().replace(" ", "").replace("-", "")
                ] or x[1]
            left_parts.append(rng.choice(opts))
        if spelling:
            right = " ".join(x[2][0] for x in parts)
            sub = "cross_script:arabic_spelling"
        else:
            right = " ".join(x[0] for x in parts)
            sub = "cross_script:arabic_script"
        if rng.random() < 0.5:  # passport: surname first
            left_parts = [left_parts[-1]] + left_parts[:-1]
        rows.append((" ".join(left_parts), right, *perturb_dob(rng, d), 1, sub))
    return rows


def make_negatives(rng: random.Random, persons) -> list[tuple]:
    rows = []

    def neg_dobs():
        r = rng.random()
        if r < 0.4:
            return "", ""
        a = rand_date(rng, 1955, 2004)
        if r < 0.7:
            return a.isoformat(), ""
        b = rand_date(rng, 1955, 2004)
        return a.isoformat(), b.isoformat()

    def latin_person(rng):
        """A composed person in passport Latin from any culture pool: (tokens)."""
        kind = rng.choice(["TJK", "UZB", "KAZ", "KGZ", "RUS", "AFG", "ARB", "IRN"])
        if kind in ("AFG", "ARB", "IRN"):
            src = {
                "AFG": (AF_GIVEN_M, AF_SURN),
                "ARB": (AR_GIVEN_M, AR_FAMILY),
                "IRN": (IR_GIVEN_M, IR_SURN),
            }[kind]
            g = rng.choice(wchoice_t(rng, src[0])[1])
            s = rng.choice(wchoice_t(rng, src[1])[1])
            return [g, s]
        p = cyr_person(rng, kind, rng.random() < 0.3)
        return [icao(p["given"]), icao(p["surname"])]

    # 1. shared one common part, otherwise different people
    n = 0
    while n < 150:
        common = rng.choice(
            [
                "MUHAMMAD",
                "MOHAMMAD",
                "MOHAMMED",
                "ALI",
                "AHMAD",
                "AHMED",
                "ABDULLAH",
                "KHAN",
                "HASSAN",
                "HUSSEIN",
                "OMAR",
                "IBRAHIM",
                "YUSUF",
                "SAEED",
                "GUL",
                "NOOR",
                "ABDUL RAHMAN",
            ]
        )
        a, b = latin_person(rng), latin_person(rng)
        if set(a) & set(b) or common in a or common in b:
            continue
        left = " ".join([common] + a) if rng.random() < 0.6 else " ".join(a + [common])
        right = " ".join([common] + b)
        if rng.random() < 0.3:
            right = cap(right)
        rows.append((left, right, *neg_dobs(), 0, "negative:shared_common_part"))
        n += 1

    # 2. a composed innocent sharing one common part with a UN-listed name
    common_set = (set(COMMON_PARTS) | {"ABDUL", "MOHAMED", "MUHAMMED", "MOHAMAD"}) - {
        "AL",
        "ABU",
        "BIN",
        "HAJI",
        "MULLAH",
        "HAFIZ",
    }  # name parts, not particles or titles
    un_with_common = []
    for e in persons:
        toks = ascii_upper(" ".join(e.name_parts)).replace("-", " ").split()
        shared = [t for t in toks if t in common_set]
        if shared and len(toks) >= 2:
            un_with_common.append((e, toks, shared))
    n = 0
    while n < 120 and un_with_common:
        e, toks, shared = rng.choice(un_with_common)
        other = latin_person(rng)
        if set(other) & set(toks):
            continue
        c = rng.choice(shared)
        left = " ".join([c] + other) if rng.random() < 0.5 else " ".join(other[::-1] + [c])
        rows.append((left, " ".join(e.name_parts), *neg_dobs(), 0, "negative:un_shared_part"))
        n += 1

    # 3. shared surname, different given names (sometimes across scripts)
    n = 0
    while n < 100:
        nat = rng.choice(["TJK", "UZB", "KAZ", "KGZ", "RUS"])
        female = rng.random() < 0.3
        p = cyr_person(rng, nat, female)
        q = cyr_person(rng, nat, female)
        if p["given"] == q["given"]:
            continue
        left = f"{icao(p['surname'])} {icao(p['given'])}"
        r = rng.random()
        if r < 0.4:
            right = cap(f"{q['given']} {p['surname']}")
        elif r < 0.7:
            right = f"{press(q['given'], nat)} {press(p['surname'], nat)}"
        else:
            right = f"{icao(p['surname'])} {icao(q['given'])}"
        rows.append((left, right, *neg_dobs(), 0, "negative:shared_surname"))
        n += 1

    # 4. near names that are different names
    for i in range(120):
        if i % 2 == 0:
            a, b = rng.choice(NEAR_GIVEN)
            other = icao(
                wchoice(
                    rng,
                    {**{k: v for k, v in UZ_SURN.items()}, **{k: v for k, v in RU_SURN.items()}},
                )
            )
            other2 = other if rng.random() < 0.5 else icao(wchoice(rng, UZ_SURN))
            left, right = f"{a} {other}", f"{b} {other2}"
        else:
            a, b = rng.choice(NEAR_SURN)
            g = icao(wchoice(rng, {**TJ_M, **UZ_M}))
            g2 = g if rng.random() < 0.5 else icao(wchoice(rng, {**TJ_M, **UZ_M}))
            left, right = f"{a} {g}", f"{g2} {b}"
        if rng.random() < 0.5:
            left, right = right, left
        rows.append((left, right, *neg_dobs(), 0, "negative:near_name"))

    # 5. male vs female forms
    for _ in range(60):
        (gm, gf), (sm, sf) = rng.choice(GENDER_FORMS), rng.choice(GENDER_SURN)
        left, right = f"{sm} {gm}", f"{sf} {gf}"
        if rng.random() < 0.5:
            left, right = right, left
        rows.append((left, right, *neg_dobs(), 0, "negative:gender_form"))

    # 6. identical common name, birth dates >= 5 years apart
    for _ in range(100):
        tokens = latin_person(rng)
        if rng.random() < 0.5:
            tokens = [rng.choice(["MUHAMMAD", "MOHAMMAD", "ALI", "AHMAD"])] + tokens[1:]
        name = " ".join(tokens)
        a = rand_date(rng, 1950, 1990)
        b = a.replace(year=a.year + rng.randint(5, min(25, 2006 - a.year)))
        if rng.random() < 0.5:
            a, b = b, a
        rows.append((name, name, a.isoformat(), b.isoformat(), 0, "negative:dob_far"))
    return rows


# --------------------------------------------------------------------------
# Innocents

DOC_SHAPES = {
    "TJK": ("A", 8),
    "UZB": ("FA", 7),
    "KGZ": ("AC", 7),
    "KAZ": ("N", 8),
    "RUS": ("", 9),
    "AFG": ("P", 8),
    "IRN": ("X", 8),
    "TUR": ("U", 8),
    "CHN": ("E", 8),
    "IND": ("Z", 7),
    "DEU": ("C", 8),
    "FRA": ("2", 8),
    "GBR": ("5", 8),
    "POL": ("EA", 7),
    "ITA": ("YA", 7),
}


def innocent_name(rng: random.Random, nat: str, female: bool) -> tuple[str, str]:
    if nat in ("TJK", "UZB", "KAZ", "KGZ", "RUS"):
        p = cyr_person(rng, nat, female)
        if nat == "TJK" and rng.random() < 0.25:  # post-2007 forms
            stem = p["stem"]
            sur = rng.choice([stem, stem + "зода", stem + "ӣ"])
            p["surname"] = sur
        if nat in ("TJK", "UZB") and rng.random() < 0.3:
            conv = lambda w: ascii_upper(_translit(w, PRESS_CA))  # noqa: E731 (national passports)
        else:
            conv = icao
        given = conv(p["given"])
        if nat == "TJK" and not female and rng.random() < 0.08:
            given = conv(rng.choice(["Муҳаммад", "Абдул", "Мир"])) + given
        return conv(p["surname"]), given
    if nat == "AFG":
        g = wchoice_t(rng, AF_GIVEN_F if female else AF_GIVEN_M)
        given = [rng.choice(g[1])]
        if not female and rng.random() < 0.45:
            g2 = wchoice_t(rng, AF_GIVEN_M)
            if g2[1][0] not in given:
                given.append(rng.choice(g2[1]))
        sur = "" if rng.random() < 0.05 else rng.choice(wchoice_t(rng, AF_SURN)[1])
        return sur, " ".join(given)
    if nat == "IRN":
        g = wchoice_t(rng, IR_GIVEN_F if female else IR_GIVEN_M)
        given = rng.choice(g[1])
        if not female and rng.random() < 0.3:
            given += " " + rng.choice(wchoice_t(rng, IR_GIVEN_M)[1])
        return rng.choice(wchoice_t(rng, IR_SURN)[1]), given
    if nat == "TUR":
        return wchoice(rng, TR_SURN), wchoice(rng, TR_F if female else TR_M)
    if nat == "CHN":
        return wchoice(rng, CN_SURN), wchoice(rng, CN_GIVEN)
    if nat == "IND":
        muslim = rng.random() < 0.15
        if muslim:
            given = rng.choice(
                ["FATIMA", "AYESHA", "NAZIA"]
                if female
                else ["MOHAMMED", "MOHAMMAD", "ABDUL", "IMRAN", "SALMAN", "ASIF"]
            )
            if not female and rng.random() < 0.5:
                given += " " + rng.choice(["RAFIQ", "SALIM", "IQBAL", "ANWAR", "ALI"])
            return rng.choice(["KHAN", "SHAIKH", "AHMED", "ANSARI", "QURESHI", "SIDDIQUI"]), given
        s = wchoice(rng, {k: v for k, v in IN_SURN.items() if k not in ("KHAN", "SHAIKH", "AHMED")})
        g = {
            k: v
            for k, v in (IN_F if female else IN_M).items()
            if k not in ("MOHAMMED", "ABDUL", "IMRAN", "FATIMA")
        }
        return s, wchoice(rng, g)
    m, f, s = EU[nat]
    return wchoice(rng, s), wchoice(rng, f if female else m)


def make_innocents(rng: random.Random, un_keys: set, n: int = 5000) -> list[dict]:
    rows = []
    nats = list(NAT_WEIGHTS)
    removed = 0
    i = 0
    while len(rows) < n:
        nat = rng.choices(nats, weights=[NAT_WEIGHTS[k] for k in nats])[0]
        female = rng.random() < 0.4
        sur, given = innocent_name(rng, nat, female)
        toks = norm_tokens(f"{sur} {given}")
        if toks in un_keys or "".join(toks) in un_keys:
            removed += 1
            continue
        i += 1
        pre, digits = DOC_SHAPES[nat]
        doc = pre + "".join(str(rng.randrange(10)) for _ in range(digits))
        rows.append(
            {
                "id": f"HO{i:05d}",
                "surname": sur,
                "given_names": given,
                "dob": rand_date(rng, 1950, 2008).isoformat(),
                "nationality": nat,
                "gender": "F" if female else "M",
                "doc_number": doc,
                "doc_country": nat,
            }
        )
    print(f"innocents: {len(rows)} (removed {removed} equal to a UN name or alias)")
    return rows


def un_name_keys(entries) -> set:
    keys = set()
    for e in entries:
        texts = [" ".join(e.name_parts)] + [a.text for a in e.aliases]
        for t in texts:
            t = t.replace(",", " ")
            toks = norm_tokens(t)
            if toks:
                keys.add(toks)
                keys.add("".join(toks))
                toks2 = norm_tokens(t.replace("-", ""))
                keys.add(toks2)
    return keys


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=20260227)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "data")
    args = ap.parse_args()
    rng = random.Random(args.seed)

    entries = load_un()
    persons = sorted((e for e in entries if e.kind == "person"), key=lambda e: e.entry_id)

    rows = make_un_typo(random.Random(rng.random()), persons)
    rows += make_cross_script(random.Random(rng.random()))
    rows += make_negatives(random.Random(rng.random()), persons)
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "holdout_pairs.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["pair_id", "left", "right", "dob_left", "dob_right", "label", "kind"])
        for i, r in enumerate(rows, 1):
            w.writerow([f"HP{i:05d}", *r])
    pos = sum(r[4] for r in rows)
    print(
        f"pairs: {len(rows)} ({pos} positive, {len(rows) - pos} negative, "
        f"{(len(rows) - pos) / len(rows):.1%} negative)"
    )

    inn = make_innocents(random.Random(rng.random()), un_name_keys(entries))
    with open(args.out / "holdout_innocents.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(inn[0]))
        w.writeheader()
        w.writerows(inn)


if __name__ == "__main__":
    main()
