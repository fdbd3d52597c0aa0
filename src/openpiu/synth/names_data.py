"""Name lists of the cultures a Central Asian PIU sees, with rough frequencies.

These are data written for this project, not facts a package maintains: common
given names and surname stems of each culture, in their own script, weighted
after published name-frequency lists as best known (a few names dominate: MUHAMMAD,
ALI, AHMAD and their variants; Tajik and Uzbek surnames are mostly a stem plus
-OV/-EV or -ZODA).  Every person generated from them is fictional.

Format, to keep the tables readable: ``"Name:weight Name:weight ..."``; for
Arabic-script names ``"arabic=LATIN1|LATIN2:weight"`` where the Latin forms are
the usual passport spellings, most common first (``_`` for a space) (there is no ICAO table in use
for them: each passport office romanises by ear).
"""

from __future__ import annotations

# -- Cyrillic cultures: given names (male, female) and surname stems ------------
# Tajik stems take -ов/-ев (-ова/-ева), -зода or -ӣ; a bare stem is also common
# since the 2007 push to drop Russian endings (STANDARDS §8).
TAJIK_MALE = (
    "Муҳаммад:60 Алӣ:25 Аҳмад:18 Ҷамшед:14 Рустам:15 Фирдавс:12 Шерзод:12 Дилшод:12 "
    "Абдулло:12 Фаррух:10 Баҳром:10 Умед:10 Исмоил:8 Юсуф:9 Абдураҳмон:6 Саидҷон:5 "
    "Далер:8 Зафар:8 Комрон:7 Манучеҳр:8 Сино:6 Шаҳриёр:5 Фаридун:6 Бахтиёр:7 Сӯҳроб:7 "
    "Нозим:5 Ҳасан:9 Ҳусейн:8 Амир:8 Парвиз:6 Сафар:5 Азиз:6 Икром:5 Илҳом:6 Иброҳим:8 "
    "Наврӯз:5 Рамазон:5 Хуршед:7 Шоҳрух:8 Муҳаммадалӣ:6 Абдуқодир:4 Ҷалолиддин:4 "
    "Нуриддин:5 Саъдулло:3 Ғайрат:3 Қурбон:4 Ёқуб:4 Маҳмуд:5 Эмомалӣ:3 Аъзам:3"
)
TAJIK_FEMALE = (
    "Мадина:15 Нигина:12 Зарина:12 Шаҳноза:12 Манижа:10 Парвина:10 Таҳмина:9 Фотима:14 "
    "Зулфия:8 Гулноза:8 Малика:9 Меҳрангез:5 Сабрина:5 Ситора:9 Дилноза:7 Нозанин:6 "
    "Мунира:7 Гулчеҳра:6 Мавҷуда:5 Сурайё:5 Фарзона:7 Нилуфар:8 Ширин:6 Ойша:8 Марям:8 "
    "Хадича:7 Зебо:5 Садбарг:4 Рухшона:6 Мижгона:4 Ҳабиба:4 Шаҳло:4 Гулрухсор:3"
)
TAJIK_STEMS = (
    "Раҳмон:14 Раҳим:12 Карим:12 Саид:11 Назар:10 Сафар:10 Шариф:9 Мирзо:9 Давлат:7 "
    "Ҳасан:8 Ҳусейн:6 Абдулло:8 Раҷаб:6 Қодир:6 Ғаффор:4 Исмоил:6 Юсуф:6 Сангин:3 "
    "Ашур:5 Файзулло:4 Нур:5 Қурбон:6 Ҳамид:5 Олим:5 Бобо:5 Ҷалол:4 Ҳайдар:4 "
    "Убайдулло:3 Ниёз:4 Маҳмуд:5 Умар:4 Усмон:5 Иброҳим:5 Наим:3 Шоҳ:3 Эшон:3 "
    "Ҳоким:3 Зуҳур:3 Додхо:2 Мақсуд:3 Ҳотам:2 Одина:3 Табар:2 Ёр:2 Султон:4"
)
UZBEK_MALE = (
    "Муҳаммад:14 Алишер:12 Бобур:10 Отабек:10 Сардор:12 Азиз:8 Жасур:9 Шоҳрух:10 "
    "Жамшид:10 Улуғбек:9 Фарҳод:8 Ислом:8 Абдулла:10 Шерзод:10 Акмал:7 Дилшод:8 Нодир:6 "
    "Рустам:8 Темур:7 Санжар:7 Азамат:5 Беҳзод:6 Анвар:6 Бахтиёр:6 Ўткир:4 Қаҳрамон:4"
)
UZBEK_FEMALE = (
    "Дилноза:10 Гулнора:9 Малика:10 Нодира:8 Феруза:8 Мадина:10 Шаҳноза:8 Зарина:7 "
    "Нигора:8 Мафтуна:7 Севара:8 Дилфуза:7 Гулчеҳра:5 Муниса:6 Сайёра:5 Ўғилой:3"
)
UZBEK_STEMS = (
    "Юлдаш:8 Исмоил:8 Усмон:8 Эргаш:9 Нормат:3 Карим:9 Рашид:7 Абдулла:9 Турсун:8 "
    "Ҳасан:7 Мирза:7 Султон:6 Аҳмед:7 Али:7 Раҳим:6 Жўра:7 Тошмат:5 Холмат:5 "
    "Қодир:5 Содиқ:5 Хўжа:4 Наримон:3 Юсуп:5 Ниёз:4 Саттор:4"
)
KYRGYZ_MALE = (
    "Азамат:10 Нурлан:9 Бакыт:8 Эрлан:7 Айбек:8 Мирлан:7 Улан:6 Тилек:6 Бекжан:5 "
    "Максат:7 Адилет:6 Эмир:5 Мухаммед:8 Актан:4 Жыргалбек:3 Нурсултан:5 Бактыбек:4"
)
KYRGYZ_FEMALE = (
    "Айгерим:9 Айпери:8 Гулзат:6 Нургул:7 Жылдыз:7 Бегимай:6 Айжан:6 Чолпон:5 "
    "Асель:6 Мээрим:6 Айзада:6 Гүлнара:5 Бермет:4"
)
KYRGYZ_STEMS = (
    "Асан:8 Токтогул:5 Жээнбек:5 Осмон:6 Абдыкадыр:4 Иса:6 Бакир:5 Сыдык:5 Мамыт:5 "
    "Касым:6 Турдубай:4 Алыбай:4 Садыр:4 Өмүрбек:3 Үсөн:3"
)
KAZAKH_MALE = (
    "Нұрлан:9 Ерлан:8 Дәурен:7 Асқар:7 Арман:9 Ерболат:6 Бауыржан:7 Данияр:7 Айдос:6 "
    "Нұрсұлтан:5 Мұхаммед:6 Әли:5 Ержан:6 Санжар:5 Тимур:6 Алмас:5"
)
KAZAKH_FEMALE = (
    "Айгерім:9 Динара:7 Әсел:7 Гүлнар:6 Сәуле:6 Жанар:6 Аружан:7 Мадина:7 Гүлмира:5 "
    "Ақбота:5 Аяулым:5 Жансая:4"
)
KAZAKH_STEMS = (
    "Нұрмағамбет:4 Жақсыбек:4 Омар:6 Әбен:4 Ахмет:8 Ибра:5 Сүлеймен:6 Оспан:6 Тоқа:4 "
    "Есен:5 Жұмабай:5 Қасым:6 Серік:5 Мұқан:4 Бекмұхамбет:3 Төлеген:4"
)
RUSSIAN_MALE = (
    "Александр:15 Дмитрий:12 Сергей:12 Андрей:10 Алексей:10 Михаил:8 Иван:8 Максим:8 "
    "Евгений:7 Владимир:7 Николай:6 Артём:6 Юрий:5 Игорь:5 Олег:5 Роман:5 Вячеслав:3"
)
RUSSIAN_FEMALE = (
    "Елена:12 Ольга:10 Татьяна:10 Наталья:10 Анна:9 Ирина:9 Екатерина:8 Мария:8 "
    "Светлана:7 Юлия:7 Анастасия:7 Людмила:5 Ксения:4 Дарья:5 Валентина:3"
)
# Russian surnames are written whole: endings vary (-ов, -ин, -ский, -ых, none).
RUSSIAN_SURNAMES = (
    "Иванов:12 Смирнов:12 Кузнецов:10 Попов:9 Васильев:8 Петров:8 Соколов:7 Михайлов:6 "
    "Новиков:6 Фёдоров:5 Морозов:6 Волков:5 Алексеев:5 Лебедев:5 Семёнов:5 Егоров:4 "
    "Павлов:4 Козлов:4 Степанов:4 Никитин:4 Орлов:4 Зайцев:4 Жуков:3 Щербаков:3 "
    "Юсупов:3 Чернышёв:2 Цветков:2 Ковальский:2 Белых:2 Шевченко:2 Ильин:3 Гусев:3"
)

# -- Arabic-script cultures: Afghan (Dari/Pashto) and Arab ----------------------
AFGHAN_MALE = (
    "محمد=MOHAMMAD|MUHAMMAD|MOHAMMED|MOHAMAD:50 احمد=AHMAD|AHMED:25 علی=ALI:20 "
    "عبدالله=ABDULLAH|ABDULLA:12 محمود=MAHMOOD|MAHMUD:6 نجیب‌الله=NAJIBULLAH:5 "
    "عبدالرحمن=ABDUL_RAHMAN|ABDULRAHMAN:6 گل=GUL:5 حمید=HAMID:6 رحیم=RAHIM:5 "
    "فرید=FARID:6 جاوید=JAWID|JAVED:6 شفیق=SHAFIQ:4 ذبیح‌الله=ZABIHULLAH:5 "
    "نورالله=NOORULLAH|NURULLAH:4 عزیز=AZIZ:5 حسین=HUSSAIN|HOSSAIN:5 یوسف=YOUSUF|YUSUF:4 "
    "خالد=KHALID|KHALED:4 سید=SAYED|SAYYED:5 اجمل=AJMAL:4 قدیر=QADIR|QADEER:3"
)
AFGHAN_FEMALE = (
    "فاطمه=FATIMA|FATEMA:12 مریم=MARYAM|MARIAM:10 زهرا=ZAHRA:8 شبانه=SHABANA:5 "
    "نازیه=NAZIA:5 فریبا=FARIBA:5 ملالی=MALALAI:4 لیلا=LAILA|LEILA:6 پروانه=PARWANA:5 "
    "حمیده=HAMIDA:4 سیما=SIMA|SEEMA:5 زینب=ZAINAB|ZEINAB:6 نرگس=NARGIS:4"
)
AFGHAN_SURNAMES = (
    "احمدزی=AHMADZAI:6 پوپلزی=POPALZAI:4 محمدی=MOHAMMADI|MUHAMMADI:9 رحیمی=RAHIMI:7 "
    "حیدری=HAIDARI|HAIDERI:6 کریمی=KARIMI:7 نوری=NOORI|NURI:6 صدیقی=SEDIQI|SIDDIQI:6 "
    "هاشمی=HASHIMI|HASHEMI:5 یوسفزی=YOUSAFZAI|YUSUFZAI:4 امیری=AMIRI:5 عزیزی=AZIZI:6 "
    "رسولی=RASULI|RASOOLI:4 غفاری=GHAFARI|GHAFFARI:4 ستانکزی=STANIKZAI:3 "
    "صافی=SAFI:4 وردک=WARDAK:4 نیازی=NIAZI:4 قریشی=QURESHI|QURAISHI:3"
)
ARAB_MALE = (
    "محمد=MOHAMMED|MOHAMMAD|MUHAMMAD:40 أحمد=AHMED|AHMAD:18 علي=ALI:15 "
    "عبدالله=ABDULLAH|ABDULLA:12 خالد=KHALID|KHALED:8 عمر=OMAR|UMAR:7 يوسف=YOUSEF|YOUSUF:6 "
    "إبراهيم=IBRAHIM:6 سعيد=SAEED|SAID:6 حسن=HASSAN|HASAN:6 حسين=HUSSEIN|HUSSAIN:5 "
    "فيصل=FAISAL:5 سلطان=SULTAN:5 راشد=RASHID|RASHED:5 ماجد=MAJED|MAJID:4"
)
ARAB_FEMALE = (
    "فاطمة=FATIMA|FATMA:10 عائشة=AISHA|AYSHA:7 مريم=MARIAM|MARYAM:8 نورة=NOURA|NORA:6 "
    "سارة=SARA|SARAH:6 هند=HIND:4 ريم=REEM|RIM:5 لطيفة=LATIFA:4 شيخة=SHAIKHA|SHEIKHA:4"
)
ARAB_SURNAMES = (
    "الحربي=ALHARBI|AL_HARBI:6 القحطاني=ALQAHTANI|AL_QAHTANI:6 العتيبي=ALOTAIBI:5 "
    "الشمري=ALSHAMMARI:5 الزهراني=ALZAHRANI:4 المنصوري=ALMANSOORI|AL_MANSOURI:5 "
    "الكعبي=ALKAABI|AL_KAABI:5 البلوشي=ALBALUSHI|AL_BALOOSHI:5 الهاشمي=ALHASHMI|AL_HASHEMI:4 "
    "المهيري=ALMUHAIRI:4 الظاهري=ALDHAHERI|AL_DHAHERI:4 النعيمي=ALNUAIMI:4"
)

# -- Latin-script cultures (original script is Latin, with diacritics) -----------
TURKISH_MALE = (
    "Mehmet:30 Mustafa:20 Ahmet:18 Ali:15 Hüseyin:12 Hasan:12 İbrahim:10 Emre:8 Burak:8 "
    "Murat:10 Yusuf:10 Ömer:8 Can:5 Osman:6 Halil:6 Süleyman:5 Ramazan:5 Kemal:4"
)
TURKISH_FEMALE = (
    "Ayşe:15 Fatma:15 Emine:12 Hatice:10 Zeynep:10 Elif:10 Meryem:8 Şerife:5 Özlem:5 "
    "Derya:5 Esra:6 Merve:6 Büşra:5 Gül:4 Sultan:4"
)
TURKISH_SURNAMES = (
    "Yılmaz:20 Kaya:12 Demir:12 Çelik:10 Şahin:10 Yıldız:10 Yıldırım:8 Öztürk:8 Aydın:8 "
    "Özdemir:8 Arslan:7 Doğan:7 Kılıç:6 Aslan:5 Çetin:5 Kara:5 Koç:5 Kurt:5 Özkan:4"
)
GERMAN_MALE = (
    "Thomas:8 Michael:8 Andreas:7 Stefan:7 Jonas:6 Lukas:6 Felix:5 Maximilian:5 Jürgen:4 "
    "Markus:6 Daniel:6 Sebastian:5 Jörg:3 Klaus:3 Alexander:5 Wolfgang:3"
)
GERMAN_FEMALE = (
    "Anna:7 Julia:7 Katharina:6 Sabine:6 Claudia:5 Lea:5 Sophie:5 Laura:5 Jana:4 Lisa:6 "
    "Maria:5 Susanne:4 Bärbel:2 Käthe:1"
)
GERMAN_SURNAMES = (
    "Müller:12 Schmidt:10 Schneider:8 Fischer:8 Weber:7 Meyer:7 Wagner:6 Becker:6 "
    "Schulz:6 Hoffmann:6 Schäfer:4 Koch:4 Bauer:4 Richter:4 Klein:4 Wolf:4 Schröder:4 "
    "Neumann:3 Schwarz:3 Zimmermann:3 Braun:3 Krüger:3 Hofmann:3 Hartmann:3 Lange:3"
)
ENGLISH_MALE = "James:8 John:7 David:7 Michael:6 Daniel:5 Thomas:5 Sean:3 Patrick:3 Oliver:4"
ENGLISH_FEMALE = "Sarah:6 Emma:6 Laura:5 Emily:5 Siobhan:2 Aoife:2 Claire:4 Rachel:4"
ENGLISH_SURNAMES = (
    "Smith:9 Jones:7 Williams:6 Brown:6 Taylor:5 Wilson:4 O'Reilly:2 O'Brien:2 Murphy:3 "
    "Kelly:3 Walsh:2 Davies:4 Evans:3 Roberts:3"
)
INDIAN_MALE = (
    "Rahul:7 Amit:7 Rajesh:6 Suresh:5 Vijay:5 Arjun:5 Sanjay:5 Anil:5 Deepak:5 Manoj:4 "
    "Mohammed:8 Ravi:5 Sunil:4 Vikram:4 Abdul:4 Harpreet:2 Gurpreet:2"
)
INDIAN_FEMALE = "Priya:7 Anjali:6 Sunita:5 Pooja:6 Neha:6 Kavita:5 Deepa:4 Fatima:3 Lakshmi:4"
INDIAN_SURNAMES = (
    "Sharma:10 Singh:12 Kumar:12 Gupta:6 Patel:7 Khan:6 Verma:5 Reddy:5 Yadav:5 Shaikh:4 "
    "Nair:4 Iyer:3 Das:4 Chaudhary:4 Mishra:4 Venkataraghavan:1 Subramanian:2"
)

# -- Chinese: Hanzi with the pinyin a passport prints (surname first) -----------
CHINESE_SURNAMES = (
    "王=WANG:20 李=LI:20 张=ZHANG:18 刘=LIU:12 陈=CHEN:11 杨=YANG:7 黄=HUANG:5 赵=ZHAO:5 "
    "吴=WU:5 周=ZHOU:5 徐=XU:3 孙=SUN:3 马=MA:4 朱=ZHU:3 胡=HU:3 郭=GUO:3 何=HE:3"
)
CHINESE_MALE = (
    "伟=WEI:8 强=QIANG:5 磊=LEI:5 军=JUN:5 洋=YANG:4 勇=YONG:5 杰=JIE:5 涛=TAO:4 明=MING:4 "
    "超=CHAO:4 建华=JIANHUA:3 志强=ZHIQIANG:3 浩然=HAORAN:3 子轩=ZIXUAN:2 海峰=HAIFENG:2"
)
CHINESE_FEMALE = (
    "芳=FANG:6 娜=NA:6 敏=MIN:5 静=JING:6 丽=LI:5 艳=YAN:5 娟=JUAN:4 秀英=XIUYING:4 "
    "海燕=HAIYAN:3 桂英=GUIYING:3 欣怡=XINYI:3 雪=XUE:3"
)

# -- European cultures a German PIU sees most (Latin script, diacritics dropped
# in the MRZ).  Small tables of the commonest names, for the germany profile.
POLISH_MALE = (
    "Piotr:9 Krzysztof:8 Andrzej:7 Tomasz:7 Paweł:7 Michał:7 Marcin:6 Jakub:6 Łukasz:6 "
    "Adam:5 Marek:5 Grzegorz:5 Mateusz:5 Kamil:4 Wojciech:4 Dariusz:3"
)
POLISH_FEMALE = (
    "Anna:10 Katarzyna:8 Maria:7 Małgorzata:7 Agnieszka:7 Magdalena:5 Joanna:5 Ewa:5 "
    "Monika:5 Aleksandra:4 Natalia:4 Karolina:4 Barbara:3"
)
POLISH_SURNAMES = (
    "Nowak:10 Kowalski:8 Wiśniewski:6 Wójcik:6 Kowalczyk:5 Kamiński:5 Lewandowski:5 "
    "Zieliński:4 Szymański:4 Woźniak:4 Dąbrowski:4 Kozłowski:3 Jankowski:3 Mazur:3 "
    "Krawczyk:3 Piotrowski:3 Grabowski:3 Pawłowski:2 Michalski:2 Król:2"
)
ITALIAN_MALE = (
    "Francesco:7 Alessandro:7 Andrea:6 Marco:7 Matteo:6 Lorenzo:5 Giuseppe:6 Luca:6 "
    "Giovanni:5 Antonio:6 Roberto:4 Davide:4 Stefano:4 Paolo:4 Salvatore:3"
)
ITALIAN_FEMALE = (
    "Giulia:7 Francesca:6 Chiara:6 Sara:5 Martina:5 Anna:5 Maria:6 Elena:5 Valentina:5 "
    "Alessia:4 Federica:4 Silvia:4 Paola:3"
)
ITALIAN_SURNAMES = (
    "Rossi:10 Russo:8 Ferrari:7 Esposito:7 Bianchi:6 Romano:6 Colombo:5 Ricci:5 Marino:5 "
    "Greco:5 Bruno:5 Gallo:4 Conti:4 Fontana:4 Mancini:3 Costa:3 Giordano:3 Lombardi:3"
)
ROMANIAN_MALE = (
    "Andrei:9 Alexandru:8 Ion:7 Mihai:7 Gheorghe:6 Constantin:5 Florin:5 Adrian:5 "
    "Ionuț:5 Cristian:5 Ștefan:4 Vasile:4 Marius:4 Bogdan:4 Daniel:4"
)
ROMANIAN_FEMALE = (
    "Maria:10 Elena:9 Ioana:7 Andreea:6 Mihaela:5 Ana:5 Cristina:5 Alexandra:5 "
    "Gabriela:4 Daniela:4 Georgiana:3 Florentina:3"
)
ROMANIAN_SURNAMES = (
    "Popa:10 Popescu:9 Pop:8 Radu:6 Dumitru:6 Stan:5 Stoica:5 Gheorghe:5 Matei:4 "
    "Ciobanu:4 Ionescu:4 Rusu:4 Munteanu:4 Constantin:3 Mihai:3 Lazăr:3 Moldovan:3"
)
SPANISH_MALE = (
    "Antonio:8 José:8 Manuel:7 Francisco:6 David:6 Juan:6 Javier:6 Daniel:5 Carlos:5 "
    "Jesús:4 Alejandro:5 Miguel:4 Pablo:4 Sergio:4"
)
SPANISH_FEMALE = (
    "María:12 Carmen:7 Ana:6 Laura:6 Isabel:5 Lucía:5 Cristina:5 Marta:5 Elena:4 "
    "Sara:4 Paula:4 Pilar:3"
)
# Two surnames, as Spanish passports print them (father's, mother's).
SPANISH_SURNAMES = (
    "García:10 Rodríguez:8 González:8 Fernández:8 López:8 Martínez:8 Sánchez:7 Pérez:7 "
    "Gómez:5 Martín:5 Jiménez:5 Ruiz:5 Hernández:4 Díaz:4 Moreno:4 Muñoz:4 Álvarez:4"
)
FRENCH_MALE = (
    "Jean:7 Pierre:6 Nicolas:6 Thomas:5 Julien:5 Philippe:5 Michel:5 Alexandre:4 "
    "Antoine:4 Sébastien:4 François:4 Mathieu:3 Lucas:4 Hugo:3"
)
FRENCH_FEMALE = (
    "Marie:9 Nathalie:5 Isabelle:5 Sophie:5 Camille:5 Julie:5 Céline:4 Émilie:4 "
    "Claire:4 Léa:4 Manon:3 Chloé:3"
)
FRENCH_SURNAMES = (
    "Martin:10 Bernard:7 Dubois:6 Thomas:6 Robert:5 Richard:5 Petit:5 Durand:5 Leroy:4 "
    "Moreau:4 Simon:4 Laurent:4 Lefèvre:3 Michel:3 Garcia:3 Fournier:3 Girard:2"
)
