"""Write the labelled screening evaluation data under ``bench/data/`` (deterministic).

    .venv/bin/python bench/make_name_pairs.py [--un FILE] [--out bench/data]

* ``name_pairs.csv``: ``pair_id,left,right,dob_left,dob_right,label,kind,culture``.
  ``left`` is the traveller's name as a passport (ICAO 9303) or booking prints it,
  ``right`` the watchlist's form (press spelling, original script, "Family, Given",
  a part missing, another surname form, a typo).  ``label`` 1 = same person.
  The hand-written pairs are below (``HAND``); about 300 more are made from real
  UN-list individuals (typos, a dropped part, swapped order; negatives sharing one
  common part), so the output is committed and this script only re-makes it.
* ``innocents.csv``: 5,000 synthetic travellers (batch screening input columns)
  from the project's own name generator with the Tajikistan profile's nationality
  and culture mix; none is a UN-list person (checked on the token set).

Negative kinds start with ``neg_``; UN-derived kinds with ``un_``.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import unicodedata
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20260227

# left | right | dob_left | dob_right | label | kind | culture
HAND = """
# --- the issue's examples -----------------------------------------------------------
MUKHAMMAD DZHAMSHED|Muhammad Jamshed|||1|passport_translit|tajik
RAKHMONOV EMOMALI|Эмомали Рахмон|||1|surname_form|tajik
MUHAMMAD JAMSHED|Mahmud Jamshidov|1985|1979|0|neg_near_name|tajik
# --- passport_translit: ICAO 9303 Latin of a Cyrillic name vs the press spelling -----
ABDULLOKH KARIMOV|Abdullah Karimov|||1|passport_translit|tajik
KHUSEIN NAZAROV|Hussein Nazarov|||1|passport_translit|tajik
IUSUPOV RUSTAM|Yusupov Rustam|||1|passport_translit|tajik
KHAIDAROV DZHALOLIDDIN|Haydarov Jaloliddin|1979-04-12|1979-04-12|1|passport_translit|tajik
BAKHROM SHARIPOV|Bahrom Sharipov|1988|1988|1|passport_translit|tajik
MANUCHEKHR KHASANOV|Manuchehr Hasanov|||1|passport_translit|tajik
DZHALOLIDDIN RADZHABOV|Jaloliddin Rajabov|1990-01-05|1990-05-01|1|passport_translit|tajik
ILKHOM KURBONOV|Ilhom Qurbonov|||1|passport_translit|tajik
SAIDDZHON ASHUROV|Saidjon Ashurov|1983|1984|1|passport_translit|tajik
MAKHMUD ODINAEV|Mahmud Odinayev|||1|passport_translit|tajik
IBROKHIM GAFFOROV|Ibrohim Ghafforov|||1|passport_translit|tajik
NURIDDIN KHAMIDOV|Nuriddin Hamidov|1975-11-30|1975-11-30|1|passport_translit|tajik
ABDURAKHMON SAIDOV|Abdurahmon Saidov|||1|passport_translit|tajik
SHAKHRIER RAKHIMOV|Shahriyor Rahimov|||1|passport_translit|tajik
IAKUB SAIDOV|Yaqub Saidov|1969|1969|1|passport_translit|tajik
KHURSHED DAVLATOV|Hurshed Davlatov|||1|passport_translit|tajik
FARRUKH KHODZHAEV|Farrukh Khojaev|||1|passport_translit|tajik
SUKHROB MIRZOEV|Suhrob Mirzoyev|1992-07-14|1992-07-14|1|passport_translit|tajik
MUKHAMMADALI SHARIPOV|Muhammadali Sharipov|||1|passport_translit|tajik
DILSHOD IUSUFOV|Dilshod Yusufov|||1|passport_translit|tajik
UMED KHAITOV|Umed Hayitov|||1|passport_translit|tajik
PARVIZ DZHURAEV|Parviz Juraev|1987|1987|1|passport_translit|tajik
SHOKHRUKH NAZAROV|Shohrukh Nazarov|||1|passport_translit|tajik
TAKHMINA KHUSEINOVA|Tahmina Husseinova|||1|passport_translit|tajik
SHAKHNOZA RAKHIMOVA|Shahnoza Rahimova|1995|1995|1|passport_translit|tajik
MEKHRANGEZ ABDULLOEVA|Mehrangez Abdulloeva|||1|passport_translit|tajik
IBROKHIM ISMOILOV|Ibrokhim Ismoilov|||1|passport_translit|tajik
OTABEK TURSUNOV|Otabek Tursunov|||1|passport_translit|uzbek
ZHASUR ERGASHEV|Jasur Ergashev|1991-03-08|1991-03-08|1|passport_translit|uzbek
DZHAMSHID IULDASHEV|Jamshid Yuldashev|||1|passport_translit|uzbek
ULUGBEK KHOLMATOV|Ulug'bek Xolmatov|||1|passport_translit|uzbek
FARKHOD TOSHMATOV|Farhod Toshmatov|1980|1981|1|passport_translit|uzbek
BEKHZOD SODIKOV|Behzod Sodiqov|||1|passport_translit|uzbek
SANZHAR KHUDZHAEV|Sanjar Xo'jayev|||1|passport_translit|uzbek
SEVARA ABDULLAEVA|Sevara Abdullayeva|||1|passport_translit|uzbek
DILNOZA IUSUPOVA|Dilnoza Yusupova|1993-02-11|1993-02-11|1|passport_translit|uzbek
KAKHRAMON KARIMOV|Qahramon Karimov|||1|passport_translit|uzbek
SHERZOD IULDASHEV|Sherzod Yo'ldoshev|||1|passport_translit|uzbek
NURLAN ZHUMABAEV|Nurlan Zhumabayev|||1|passport_translit|kazakh
ERLAN NURGALIEV|Yerlan Nurgaliyev|1984|1984|1|passport_translit|kazakh
AIGERIM SEITKALIEVA|Aigerim Seitkaliyeva|||1|passport_translit|kazakh
BAUYRZHAN ZHAKSYBEKOV|Bauyrzhan Zhaksybekov|||1|passport_translit|kazakh
ERZHAN SAGYNBAEV|Yerzhan Sagynbayev|1977-06-21|1977-06-21|1|passport_translit|kazakh
TILEK DZHUMABEKOV|Tilek Jumabekov|||1|passport_translit|kyrgyz
MIRLAN ZHEENBEKOV|Mirlan Jeenbekov|||1|passport_translit|kyrgyz
AIPERI ASANBEKOVA|Ayperi Asanbekova|1998|1998|1|passport_translit|kyrgyz
BAKYT TOKTOGULOV|Bakyt Toktogulov|||1|passport_translit|kyrgyz
ALEKSANDR KHARITONOV|Alexander Kharitonov|||1|passport_translit|russian
IULIIA SHEVCHENKO|Yulia Shevchenko|1986-09-02|1986-09-02|1|passport_translit|russian
ANDREI ZHUKOV|Andrey Zhukov|||1|passport_translit|russian
SERGEI IAKOVLEV|Sergey Yakovlev|1972|1972|1|passport_translit|russian
DMITRII KHOKHLOV|Dmitry Khokhlov|||1|passport_translit|russian
NATALIIA TSVETKOVA|Natalya Tsvetkova|||1|passport_translit|russian
EVGENII CHERNYSHEV|Yevgeny Chernyshev|1966-12-01|1966-01-12|1|passport_translit|russian
ANATOLII KOVALEV|Anatoly Kovalyov|||1|passport_translit|russian
VIACHESLAV MOROZOV|Vyacheslav Morozov|||1|passport_translit|russian
MIKHAIL KHODORKOVSKII|Mikhail Khodorkovsky|||1|passport_translit|russian
IURII VOROBEV|Yuri Vorobyov|1958|1958|1|passport_translit|russian
MOHAMMAD NAIM|Muhammad Naeem|||1|passport_translit|afghan
ABDUL GHANI BARADAR|Abdul Ghani Biradar|||1|passport_translit|afghan
GULBUDDIN HEKMATYAR|Gulbuddin Hikmatyar|1949|1949|1|passport_translit|afghan
KHALED ABDALLAH|Khalid Abdullah|||1|passport_translit|arab
YOUSSEF HASSAN|Yusuf Hasan|1980|1980|1|passport_translit|arab
MEHMET OZTURK|Mehmet Öztürk|||1|passport_translit|turkish
CAGLAR SAHIN|Çağlar Şahin|1990-10-10|1990-10-10|1|passport_translit|turkish
HANS MUELLER|Hans Müller|||1|passport_translit|european
JUERGEN SCHROEDER|Jürgen Schröder|1961|1961|1|passport_translit|european
ZHANG WEI|Zhang Wei|||1|passport_translit|chinese
WANG XIAOMING|Wang Xiao Ming|||1|passport_translit|chinese
# --- cyrillic_script: passport Latin vs the list's original Cyrillic -----------------
MUKHAMMAD DZHAMSHED|Муҳаммад Ҷамшед|||1|cyrillic_script|tajik
DZHAMSHED RAKHIMOV|Ҷамшед Раҳимов|1985-03-03|1985-03-03|1|cyrillic_script|tajik
JAMSHED RAHIMOV|Ҷамшед Раҳимов|||1|cyrillic_script|tajik
FIRDAVS KODIROV|Фирдавс Қодиров|||1|cyrillic_script|tajik
QODIROV FIRDAVS|Фирдавс Қодиров|1990|1990|1|cyrillic_script|tajik
SHERZOD GAFUROV|Шерзод Ғафуров|||1|cyrillic_script|tajik
ALI SAFAROV|Алӣ Сафаров|1979|1980|1|cyrillic_script|tajik
SUKHROB NAZAROV|Сӯҳроб Назаров|||1|cyrillic_script|tajik
SUHROB NAZAROV|Сӯҳроб Назаров|||1|cyrillic_script|tajik
FOTIMA KARIMOVA|Фотима Каримова|1994-05-17|1994-05-17|1|cyrillic_script|tajik
SHAKHNOZA RAKHMONOVA|Шаҳноза Раҳмонова|||1|cyrillic_script|tajik
MAVDZHUDA SAIDOVA|Мавҷуда Саидова|||1|cyrillic_script|tajik
KURBON ASHUROV|Қурбон Ашуров|1970|1970|1|cyrillic_script|tajik
GAIRAT NUROV|Ғайрат Нуров|||1|cyrillic_script|tajik
MUHAMMADALI SHARIPOV|Муҳаммадалӣ Шарипов|||1|cyrillic_script|tajik
FARRUKH SHARIFI|Фаррух Шарифӣ|1989|1989|1|cyrillic_script|tajik
KHUSEIN UMAROV|Ҳусейн Умаров|||1|cyrillic_script|tajik
JALOLIDDIN HAYDAROV|Ҷалолиддин Ҳайдаров|||1|cyrillic_script|tajik
YUSUF NIYOZOV|Юсуф Ниёзов|1982-08-08|1982-08-08|1|cyrillic_script|tajik
IUSUF NIIOZOV|Юсуф Ниёзов|||1|cyrillic_script|tajik
ULUGBEK TOSHMATOV|Улуғбек Тошматов|||1|cyrillic_script|uzbek
UTKIR IULDASHEV|Ўткир Юлдашев|1976|1976|1|cyrillic_script|uzbek
QAHRAMON KARIMOV|Қаҳрамон Каримов|||1|cyrillic_script|uzbek
JASUR ERGASHEV|Жасур Эргашев|||1|cyrillic_script|uzbek
ULMAS KHUZHAEV|Ўлмас Хўжаев|||1|cyrillic_script|uzbek
XURSHID TOSHMATOV|Хуршид Тошматов|1985|1985|1|cyrillic_script|uzbek
ASEL ORAZBAEVA|Әсел Оразбаева|||1|cyrillic_script|kazakh
ERZHAN SAGYNBAEV|Ержан Сағынбаев|||1|cyrillic_script|kazakh
AIDYN NURGALIEV|Айдын Нұрғалиев|1988-12-24|1988-12-24|1|cyrillic_script|kazakh
DAUREN ABDIKALYKOV|Дәурен Әбдіқалықов|||1|cyrillic_script|kazakh
BAUYRZHAN ZHAKSYBEKOV|Бауыржан Жақсыбеков|||1|cyrillic_script|kazakh
MOLDIR TURSYNOVA|Мөлдір Тұрсынова|1996|1996|1|cyrillic_script|kazakh
AIBEK KURMANGALIEV|Айбек Құрманғалиев|||1|cyrillic_script|kazakh
SERIK SHYNGYSOV|Серік Шыңғысов|||1|cyrillic_script|kazakh
GALYMZHAN MUKHAMEDZHANOV|Ғалымжан Мұхамеджанов|1974|1975|1|cyrillic_script|kazakh
ERBOL KHASENOV|Ербол Һасенов|||1|cyrillic_script|kazakh
AIBEK TOLOGONOV|Айбек Төлөгөнов|||1|cyrillic_script|kyrgyz
NURLAN USONOV|Нурлан Үсөнов|1981-02-28|1981-02-28|1|cyrillic_script|kyrgyz
CHYNGYZ AITMATOV|Чыңгыз Айтматов|||1|cyrillic_script|kyrgyz
MIRLAN ZHEENBEKOV|Мирлан Жээнбеков|||1|cyrillic_script|kyrgyz
BAKYT TOROBAEV|Бакыт Төрөбаев|1979|1979|1|cyrillic_script|kyrgyz
UMUT SATYBALDIEVA|Үмүт Сатыбалдиева|||1|cyrillic_script|kyrgyz
ALEKSEI SMIRNOV|Алексей Смирнов|||1|cyrillic_script|russian
IURII VOROBEV|Юрий Воробьёв|1958-04-04|1958-04-04|1|cyrillic_script|russian
TATIANA ZHUKOVA|Татьяна Жукова|||1|cyrillic_script|russian
MIKHAIL KHODORKOVSKII|Михаил Ходорковский|||1|cyrillic_script|russian
VLADIMIR SHCHERBAKOV|Владимир Щербаков|1963|1963|1|cyrillic_script|russian
IAROSLAV BELYKH|Ярослав Белых|||1|cyrillic_script|russian
ANASTASIIA KUZNETSOVA|Анастасия Кузнецова|||1|cyrillic_script|russian
ARTEM SEMENOV|Артём Семёнов|1990-06-30|1990-06-30|1|cyrillic_script|russian
# --- arabic_script: Latin vs Arabic/Persian original ---------------------------------
MOHAMMAD HASSAN|محمد حسن|||1|arabic_script|arab
AHMAD KARIMI|احمد کریمی|1984|1984|1|arabic_script|afghan
GHULAM HAIDAR NOORI|غلام حیدر نوری|||1|arabic_script|afghan
NAJIBULLAH AHMADZAI|نجیب الله احمدزی|||1|arabic_script|afghan
FARID RAHIMI|فرید رحیمی|1979-09-09|1979-09-09|1|arabic_script|afghan
KHALID AL AMIN|خالد الامین|||1|arabic_script|arab
YOUSSEF IBRAHIM|يوسف ابراهيم|||1|arabic_script|arab
OMAR ABDULLAH|عمر عبدالله|1975|1975|1|arabic_script|arab
HUSSEIN ALI|حسين علي|||1|arabic_script|arab
ZAINAB HUSSAINI|زینب حسینی|||1|arabic_script|afghan
FATIMA NOORZAI|فاطمه نورزی|1991|1991|1|arabic_script|afghan
MUSTAFA KAMAL|مصطفى كمال|||1|arabic_script|arab
SAYED AKBAR|سید اکبر|||1|arabic_script|afghan
TARIQ AZIZ|طارق عزيز|1960|1960|1|arabic_script|arab
SULAIMAN SAFI|سلیمان صافی|||1|arabic_script|afghan
KHALILULLAH ZADRAN|خلیل الله زدران|||1|arabic_script|afghan
ABDUL RAHMAN NOORI|عبدالرحمن نوری|1982-01-15|1982-01-15|1|arabic_script|afghan
MAHMOUD ABBAS KHALIL|محمود عباس خلیل|||1|arabic_script|arab
SAMIR HADDAD|سمير حداد|||1|arabic_script|arab
HAMID KARZAI|حامد کرزی|1957|1957|1|arabic_script|afghan
ZIAULHAQ AMIRI|ضیاءالحق امیری|||1|arabic_script|afghan
WALID SHARIF|وليد شريف|||1|arabic_script|arab
# --- word_order: "Family, Given" or the other order --------------------------------
RUSTAM KARIMOV|KARIMOV, Rustam|||1|word_order|tajik
KARIMOV RUSTAM|Rustam Karimov|1977|1977|1|word_order|tajik
DALER SAFAROV|Safarov, Daler|||1|word_order|tajik
NAZAROV UMED|Umed Nazarov|||1|word_order|tajik
ZARINA SAIDOVA|SAIDOVA, Zarina|1997-03-21|1997-03-21|1|word_order|tajik
KOMRON ISMOILOV|Ismoilov, Komron|||1|word_order|tajik
SARDOR RASHIDOV|RASHIDOV, Sardor|||1|word_order|uzbek
ALISHER USMONOV|Usmonov Alisher|1970|1970|1|word_order|uzbek
GULNORA KARIMOVA|Karimova, Gulnora|||1|word_order|uzbek
NURSULTAN ABENOV|Abenov, Nursultan|||1|word_order|kazakh
ASKAR MAMIN|MAMIN, Askar|1965|1965|1|word_order|kazakh
AZAMAT SYDYKOV|Sydykov, Azamat|||1|word_order|kyrgyz
ERMEK SATYBALDIEV|Satybaldiev Ermek|||1|word_order|kyrgyz
IVAN PETROV|PETROV, Ivan|1971-05-05|1971-05-05|1|word_order|russian
OLGA SOKOLOVA|Sokolova, Olga|||1|word_order|russian
LIU YANG|Yang Liu|||1|word_order|chinese
CHEN JING|Jing, Chen|1983|1983|1|word_order|chinese
WANG FANG|Fang Wang|||1|word_order|chinese
AHMAD SHAH NOORZAI|NOORZAI, Ahmad Shah|||1|word_order|afghan
MEHMET YILMAZ|YILMAZ, Mehmet|1979|1979|1|word_order|turkish
JOHN SMITH|Smith, John|||1|word_order|european
THOMAS SCHMIDT|SCHMIDT, Thomas|||1|word_order|european
SAMIR AL HAJJ|Al-Hajj, Samir|1968|1968|1|word_order|arab
# --- missing_part: middle name or patronymic on one side only ------------------------
RAKHIMOV DZHAMSHED|Rahimov Jamshed Saidovich|||1|missing_part|tajik
DZHAMSHED RAKHIMOV|Рахимов Джамшед Саидович|1985|1985|1|missing_part|tajik
FIRUZ NAZAROV|Firuz Karimovich Nazarov|||1|missing_part|tajik
SAIDOV ALISHER|Saidov Alisher Abdulloevich|1980-02-02|1980-02-02|1|missing_part|tajik
SHERZOD KHASANOV|Хасанов Шерзод Нуриддинович|||1|missing_part|tajik
MUHAMMADJON SAFAROV|Safarov Muhammadjon Rahimovich|||1|missing_part|tajik
ZAFAR ERGASHEV|Ergashev Zafar Tursunovich|1974|1974|1|missing_part|uzbek
DILSHOD KARIMOV|Karimov Dilshod Abdulla o'g'li|||1|missing_part|uzbek
NODIRA RASHIDOVA|Rashidova Nodira Karimovna|||1|missing_part|uzbek
NURLAN SERIKOV|Serikov Nurlan Bolatuly|1986|1986|1|missing_part|kazakh
ASKAR ZHUMABEKOV|Жумабеков Аскар Серикович|||1|missing_part|kazakh
BAKYT ASANOV|Asanov Bakyt Sadyrbekovich|||1|missing_part|kyrgyz
ALEKSANDR PETROV|Aleksandr Ivanovich Petrov|1969-07-07|1969-07-07|1|missing_part|russian
IRINA VOLKOVA|Волкова Ирина Сергеевна|||1|missing_part|russian
ALEKSEI IVANOV|Ivanov Aleksei Nikolaevich|1975|1975|1|missing_part|russian
KHALED ABDULLAH AL HARBI|Khaled bin Abdullah bin Mohammed Al-Harbi|||1|missing_part|arab
AHMED SALEH|Ahmed Saleh Mohammed Al-Omari|||1|missing_part|arab
NAJIBULLAH|Najibullah Haqqani|1973|1973|1|missing_part|afghan
FNU NAJIBULLAH|Najibullah|||1|missing_part|afghan
ABDUL WAHID|Abdul Wahid Rahimi|||1|missing_part|afghan
HANS PETER MUELLER|Hans Müller|1955|1955|1|missing_part|european
JOHN MICHAEL SMITH|John Smith|||1|missing_part|european
MEHMET ALI DEMIR|Mehmet Demir|1982|1982|1|missing_part|turkish
# --- surname_form: -OV/-EV, bare stem, -ZODA/-ZOD, -I, ULY/UULU ---------------------
RAKHMONOV EMOMALI|Emomali Rahmon|1952|1952|1|surname_form|tajik
RAKHMONOV EMOMALI|RAHMON, Emomali|||1|surname_form|tajik
SAFAROV ALI|Ali Safarzoda|||1|surname_form|tajik
NAZAROV UMED|Umed Nazarzoda|1986|1986|1|surname_form|tajik
KARIMOV DALER|Daler Karimi|||1|surname_form|tajik
ABDULLOEV FIRUZ|Firuz Abdullozoda|||1|surname_form|tajik
KHASANOV BAKHROM|Bahrom Hasanzod|1979-10-01|1979-10-01|1|surname_form|tajik
MIRZOEV SINO|Sino Mirzo|||1|surname_form|tajik
SHARIPOVA ZARINA|Zarina Sharipzoda|||1|surname_form|tajik
RAKHIMOV FIRDAVS|Firdavs Rahimzoda|1990|1990|1|surname_form|tajik
DAVLATOV KHURSHED|Khurshed Davlatzoda|||1|surname_form|tajik
KURBONOV ILKHOM|Ilhom Qurbonzoda|||1|surname_form|tajik
SAIDOV DILSHOD|Dilshod Saidi|1983|1983|1|surname_form|tajik
RAKHMONZODA RUSTAM|Rustam Rahmonov|||1|surname_form|tajik
NURZODA SHERALI|Sherali Nurov|||1|surname_form|tajik
ASHUROV FARRUKH|Фаррух Ашурзода|1991|1991|1|surname_form|tajik
KHAMIDOV PARVIZ|Парвиз Ҳамидзода|||1|surname_form|tajik
UMAROV KOMRON|Komron Umari|||1|surname_form|tajik
ASANOV BAKYT|Bakyt Asan uulu|1978|1978|1|surname_form|kyrgyz
TOKTOGULOV AZAMAT|Azamat Toktogul uulu|||1|surname_form|kyrgyz
ZHAKSYBEKOV NURLAN|Nurlan Zhaksybekuly|||1|surname_form|kazakh
SERIKOV ARMAN|Arman Serikuly|1987|1987|1|surname_form|kazakh
TURSUNOV ALISHER|Alisher Tursun|||1|surname_form|uzbek
# --- given_name_variant: one name across cultures -----------------------------------
MAGOMED ALIEV|Muhammad Aliev|||1|given_name_variant|russian
YUSUP KADYROV|Yousef Kadyrov|1976|1976|1|given_name_variant|russian
MUKHAMMED NURMATOV|Mohammed Nurmatov|||1|given_name_variant|kyrgyz
MOKHAMMAD RAKHIMI|Mohammed Rahimi|||1|given_name_variant|afghan
IBRAGIM MAGOMEDOV|Ibrahim Magomedov|1981|1981|1|given_name_variant|russian
ISMOIL SAFAROV|Ismail Safarov|||1|given_name_variant|tajik
GUSEIN ALIEV|Huseyn Aliyev|||1|given_name_variant|russian
GASAN ABDULLAEV|Hasan Abdullayev|1970|1970|1|given_name_variant|russian
SULAIMON NAZAROV|Suleiman Nazarov|||1|given_name_variant|tajik
UMAR KHALILOV|Omar Khalilov|||1|given_name_variant|tajik
USMON ERGASHEV|Osman Ergashev|1984|1984|1|given_name_variant|uzbek
AKHMED KARIMOV|Ahmad Karimov|||1|given_name_variant|tajik
ABDULLO NAZAROV|Abdullah Nazarov|||1|given_name_variant|tajik
IBROKHIM SAIDOV|Ibrahim Saidov|1977|1977|1|given_name_variant|tajik
DOVUD RAKHIMOV|Dawood Rahimov|||1|given_name_variant|tajik
MUSO KARIMOV|Musa Karimov|||1|given_name_variant|tajik
YUSUF HAIDARI|Yousef Haidari|1990|1990|1|given_name_variant|afghan
MOHAMMED AL SAYED|Muhammad Al-Sayyid|||1|given_name_variant|arab
MAGOMEDRASUL OMAROV|Muhammad Rasul Omarov|||1|given_name_variant|russian
MUHAMMAD YUSUF|Mohammad Yousuf|1972|1972|1|given_name_variant|afghan
IUSUF IUSUPOV|Yusuf Yusupov|||1|given_name_variant|uzbek
ABDULAZIZ KOMILOV|Abdul Aziz Komilov|||1|given_name_variant|uzbek
MEHMET KAYA|Muhammad Kaya|1985|1985|1|given_name_variant|turkish
# --- typo (hand): a letter dropped, doubled, swapped or wrong -------------------------
ABDULLAEV SHERZOD|Abdulaev Sherzod|||1|typo|uzbek
SHERZOD ABDULLAEV|Shrezod Abdullaev|1988|1988|1|typo|uzbek
NAZAROV FIRDAVS|Nazarov Firdavz|||1|typo|tajik
KHAMIDOV ILKHOM|Khamidov Ilkhon|||1|typo|tajik
SAFAROV DALER|Saffarov Daler|1993|1993|1|typo|tajik
ERGASHEV JASUR|Ergashov Jasur|||1|typo|uzbek
SEITKALIEV ERLAN|Seitkaliev Erlna|||1|typo|kazakh
ZHEENBEKOV TILEK|Zheenbekov Tilak|1980|1980|1|typo|kyrgyz
SMIRNOV ALEKSEI|Smirnof Aleksei|||1|typo|russian
KUZNETSOV PAVEL|Kuznetzov Pavel|||1|typo|russian
AHMADZAI NAJIBULLAH|Ahmadzay Najibulah|1974|1974|1|typo|afghan
HADDAD SAMIR|Hadad Samir|||1|typo|arab
YILMAZ MUSTAFA|Yilmas Mustafa|||1|typo|turkish
SCHMIDT THOMAS|Schmitt Thomas|1966|1966|1|typo|european
ZHANG WEIMING|Zhang Wieming|||1|typo|chinese
# === NEGATIVES (label 0) ==============================================================
# --- neg_common_name: different people who share a common name part ------------------
MUHAMMAD ALI|Muhammad Karim|||0|neg_common_name|afghan
MUKHAMMAD ALIEV|Muhammad Nazarov|||0|neg_common_name|tajik
MUHAMMAD RAHIMOV|Muhammad Karimov|1980|1971|0|neg_common_name|tajik
ALI SAFAROV|Ali Hasanov|||0|neg_common_name|tajik
AHMAD KARIMI|Ahmad Noori|1984|1990|0|neg_common_name|afghan
MOHAMMAD NAIM|Mohammad Nabi|||0|neg_common_name|afghan
ABDUL RAHMAN|Abdul Rahim|||0|neg_common_name|afghan
MOHAMMED ABDULLAH|Mohammed Abdulrahman|1975|1966|0|neg_common_name|arab
KHALID HASSAN|Khalid Mahmoud|||0|neg_common_name|arab
MUHAMMAD YUSUF|Muhammad Yunus|||0|neg_common_name|afghan
ALI HUSSEIN|Ali Hassan|1970|1978|0|neg_common_name|arab
ZHANG WEI|Zhang Min|||0|neg_common_name|chinese
LI WEI|Wang Wei|||0|neg_common_name|chinese
IVAN IVANOV|Ivan Petrov|1962|1975|0|neg_common_name|russian
ALEKSANDR SMIRNOV|Aleksei Smirnov|||0|neg_common_name|russian
SERGEI IVANOV|Sergei Ivanovich Petrov|||0|neg_common_name|russian
MEHMET YILMAZ|Mehmet Kaya|1983|1990|0|neg_common_name|turkish
AHMET YILMAZ|Mustafa Yilmaz|||0|neg_common_name|turkish
JOHN SMITH|John Brown|||0|neg_common_name|european
THOMAS MUELLER|Thomas Meyer|1980|1961|0|neg_common_name|european
NURLAN SERIKOV|Nurlan Askarov|||0|neg_common_name|kazakh
AZAMAT ASANOV|Azamat Usenov|||0|neg_common_name|kyrgyz
SARDOR KARIMOV|Sardor Rashidov|1990|1984|0|neg_common_name|uzbek
MUHAMMAD JAMSHED|Muhammad Jamil|||0|neg_common_name|tajik
MUHAMMADALI NAZAROV|Muhammad Nazar|1994|1968|0|neg_common_name|tajik
ABDULLOKH SAIDOV|Abdullah Sayed|1987|1960|0|neg_dob|tajik
MOHAMMAD AKBAR|Mohammad Akram|||0|neg_common_name|afghan
SAYED MOHAMMAD|Sayed Ahmad|||0|neg_common_name|afghan
# --- neg_similar_surname: same or similar surname, different given name ---------------
RUSTAM KARIMOV|Farrukh Karimov|||0|neg_similar_surname|tajik
DZHAMSHED RAKHIMOV|Daler Rahimov|1985|1992|0|neg_similar_surname|tajik
SHERZOD NAZAROV|Umed Nazarov|||0|neg_similar_surname|tajik
FIRDAVS SAFAROV|Bahrom Safarov|||0|neg_similar_surname|tajik
ZARINA SAIDOVA|Madina Saidova|1997|1989|0|neg_similar_surname|tajik
ALISHER USMONOV|Bobur Usmonov|||0|neg_similar_surname|uzbek
OTABEK TURSUNOV|Jasur Tursunov|||0|neg_similar_surname|uzbek
NURLAN ZHUMABAEV|Erlan Zhumabaev|1984|1979|0|neg_similar_surname|kazakh
AIBEK TOLOGONOV|Mirlan Tologonov|||0|neg_similar_surname|kyrgyz
ANDREI ZHUKOV|Pavel Zhukov|||0|neg_similar_surname|russian
IULIIA SHEVCHENKO|Oksana Shevchenko|1986|1975|0|neg_similar_surname|russian
AHMAD NOORZAI|Gul Noorzai|||0|neg_similar_surname|afghan
MEHMET OZTURK|Hasan Ozturk|||0|neg_similar_surname|turkish
HANS MUELLER|Klaus Mueller|1961|1972|0|neg_similar_surname|european
CHEN JING|Chen Hao|||0|neg_similar_surname|chinese
RAKHIMOV EMOMALI|Emomali Rahmon|1980|1952|0|neg_similar_surname|tajik
KARIMOV RUSTAM|Rustam Kamolov|||0|neg_similar_surname|tajik
NAZAROV DALER|Daler Nazirov|1991|1983|0|neg_similar_surname|tajik
SAIDOV FIRUZ|Firuz Saidaliev|||0|neg_similar_surname|tajik
IUSUPOV BAKHROM|Bahrom Yusufzai|||0|neg_similar_surname|tajik
KHASANOV ALI|Ali Khusanov|1976|1988|0|neg_similar_surname|uzbek
ERGASHEV SARDOR|Sardor Eshmatov|||0|neg_similar_surname|uzbek
SMIRNOV ALEKSEI|Aleksei Smirnitsky|||0|neg_similar_surname|russian
# --- neg_same_given: same given name, different surname -----------------------------
DILSHOD SAFAROV|Dilshod Nazarov|||0|neg_same_given|tajik
JAMSHED SAIDOV|Jamshed Ashurov|1985|1977|0|neg_same_given|tajik
FIRDAVS KODIROV|Фирдавс Шарипов|||0|neg_same_given|tajik
SHERZOD GAFUROV|Шерзод Раҳимов|||0|neg_same_given|tajik
ULUGBEK TOSHMATOV|Улуғбек Каримов|1979|1971|0|neg_same_given|uzbek
NODIRA RASHIDOVA|Nodira Yuldasheva|||0|neg_same_given|uzbek
ASEL ORAZBAEVA|Әсел Нұрғалиева|||0|neg_same_given|kazakh
TILEK DZHUMABEKOV|Tilek Asanov|1988|1984|0|neg_same_given|kyrgyz
OLGA SOKOLOVA|Ольга Кузнецова|||0|neg_same_given|russian
FARID RAHIMI|فرید نوری|||0|neg_same_given|afghan
YOUSSEF IBRAHIM|يوسف حداد|1977|1965|0|neg_same_given|arab
CAGLAR SAHIN|Çağlar Demir|||0|neg_same_given|turkish
JUERGEN SCHROEDER|Jürgen Wagner|||0|neg_same_given|european
WANG XIAOMING|Liu Xiaoming|1990|1981|0|neg_same_given|chinese
KHURSHED DAVLATOV|Khurshed Mirzoev|||0|neg_same_given|tajik
BAKHTIYOR NAZAROV|Bakhtiyor Nurov|||0|neg_same_given|tajik
GULNORA KARIMOVA|Gulnora Kamalova|1972|1966|0|neg_same_given|uzbek
# --- neg_near_name: near-looking names that are different names ----------------------
MAHMUD SAIDOV|Muhammad Saidov|||0|neg_near_name|tajik
JAMSHED RAHIMOV|Jamshid Karimov|||0|neg_near_name|tajik
DZHAMSHED RAKHIMOV|Jamshid Karimov|||0|neg_near_name|tajik
RAKHIMOV DILSHOD|Rahmonov Dilshod|1984|1993|0|neg_near_name|tajik
KARIMOV ALI|Kamolov Ali|||0|neg_near_name|tajik
HASAN SAFAROV|Husein Safarov|1981|1975|0|neg_near_name|tajik
HASAN NAZAROV|Hassan Nazari|1970|1985|0|neg_dob|afghan
AHMAD SHARIPOV|Ahmed Sharifov|1972|1989|0|neg_dob|tajik
UMED KHAITOV|Umar Khaitov|||0|neg_near_name|tajik
SAID NURIEV|Saida Nurieva|||0|neg_near_name|tajik
ALI SAIDOV|Aliya Saidova|||0|neg_near_name|tajik
NAZAR ISMOILOV|Nozim Ismoilov|||0|neg_near_name|tajik
SANZHAR KADYROV|Sardor Kadyrov|||0|neg_near_name|uzbek
BOBUR TURSUNOV|Bobir Tursunbaev|1983|1990|0|neg_near_name|uzbek
ERLAN NURGALIEV|Ernar Nurgaziev|||0|neg_near_name|kazakh
ASKAR KHAMITOV|Askhat Khamidov|1970|1979|0|neg_near_name|kazakh
ADILET TOKTOGULOV|Adilbek Toktobaev|||0|neg_near_name|kyrgyz
ALEKSANDR KHARITONOV|Aleksandra Kharitonova|||0|neg_near_name|russian
EVGENII CHERNYSHEV|Evgeniia Chernysheva|1966|1992|0|neg_near_name|russian
IURII VOROBEV|Yuri Vorontsov|||0|neg_near_name|russian
MOHAMMAD NAIM|Mohammad Nadim|1975|1962|0|neg_near_name|afghan
KHALID SAMIR|Khalil Samer|||0|neg_near_name|arab
OMAR ABDULLAH|Amr Abdalla|1975|1966|0|neg_near_name|arab
MEHMET OZTURK|Mehmet Ozturan|||0|neg_near_name|turkish
ZHANG WEI|Zhang Wen|1985|1970|0|neg_near_name|chinese
HANS MUELLER|Hans Moeller|1955|1979|0|neg_near_name|european
MUKHAMMAD DZHAMSHED|Mahmud Jamshidov|1985|1979|0|neg_near_name|tajik
FIRDAVS KODIROV|Firuz Kadyrov|1990|1984|0|neg_near_name|tajik
SHERZOD GAFUROV|Shahzod Gafarov|1992|1980|0|neg_near_name|tajik
# --- neg_dob: the same or a close name, born years apart -----------------------------
MUHAMMAD KARIMOV|Muhammad Karimov|1995-04-02|1961-08-19|0|neg_dob|tajik
ALI NAZAROV|Ali Nazarov|2001|1969|0|neg_dob|tajik
RUSTAM SAIDOV|Rustam Saidov|1990-01-01|1973|0|neg_dob|tajik
IVAN PETROV|Ivan Petrov|1988|1956|0|neg_dob|russian
ZHANG WEI|Zhang Wei|1992-05-05|1968-11-11|0|neg_dob|chinese
MOHAMMAD HASSAN|Mohammad Hassan|1998|1965|0|neg_dob|arab
AHMAD NOORI|Ahmad Noori|1994|1960|0|neg_dob|afghan
JAMSHED RAHIMOV|Jamshed Rahimzoda|1999|1975|0|neg_dob|tajik
SHERZOD ABDULLAEV|Sherzod Abdulaev|1996|1979|0|neg_dob|uzbek
NURLAN SERIKOV|Nurlan Serikuly|2000|1970|0|neg_dob|kazakh
"""

# Cultures of UN-list individuals by their first nationality (others: "other").
_UN_CULTURE = {
    "AFG": "afghan", "PAK": "afghan", "IRQ": "arab", "SAU": "arab", "YEM": "arab",
    "TUN": "arab", "DZA": "arab", "LBY": "arab", "EGY": "arab", "KWT": "arab", "MAR": "arab",
    "SYR": "arab", "JOR": "arab", "LBN": "arab", "QAT": "arab", "BHR": "arab", "ARE": "arab",
    "SDN": "arab", "MRT": "arab", "PSE": "arab", "RUS": "russian", "UZB": "uzbek",
    "TJK": "tajik", "KAZ": "kazakh", "KGZ": "kyrgyz", "TUR": "turkish", "CHN": "chinese",
    "FRA": "european", "GBR": "european", "DEU": "european", "BEL": "european",
    "ITA": "european", "ESP": "european", "NLD": "european", "SWE": "european",
    "DNK": "european", "AUT": "european", "BIH": "european",
}  # fmt: skip

_PARTICLES = frozenset(("AL", "EL", "BEN", "BIN", "IBN", "ABU", "ABD", "OULD", "BINT", "UL",
                        "UD", "DIN"))  # fmt: skip
_LATIN = re.compile(r"^[A-Za-z][A-Za-z' .\-]*$")


def fold(text: str) -> str:
    """Upper-case A-Z tokens, diacritics and punctuation dropped (for uniqueness checks)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).upper()
    return " ".join(re.sub(r"[^A-Z]+", " ", text).split())


def hand_rows() -> list[list[str]]:
    rows = []
    for line in HAND.strip().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split("|")
        if len(fields) != 7:
            raise ValueError(f"bad line: {line!r}")
        rows.append(fields)
    return rows


# -- UN-derived pairs -------------------------------------------------------------------
_KEYBOARD_NEAR = {
    "A": "SEQ", "B": "VNG", "C": "XVK", "D": "SFT", "E": "WRI", "F": "DGV", "G": "FHK",
    "H": "GJK", "I": "UOE", "J": "HKI", "K": "JLC", "L": "KO", "M": "NB", "N": "MB",
    "O": "IPU", "P": "OB", "Q": "WK", "R": "ET", "S": "ADZ", "T": "RYD", "U": "YIO",
    "V": "CBW", "W": "QEV", "X": "ZCK", "Y": "TUI", "Z": "XS",
}  # fmt: skip


def typo(word: str, rng: random.Random) -> str:
    """One edit a booking agent makes: drop, double, swap two neighbours, wrong key."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)  # keep the first letter (as people do)
    op = rng.choice(("drop", "double", "swap", "wrong"))
    if op == "drop":
        return word[:i] + word[i + 1 :]
    if op == "double":
        return word[:i] + word[i] + word[i:]
    if op == "swap" and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    near = _KEYBOARD_NEAR.get(word[i], "E")
    return word[:i] + rng.choice(near) + word[i + 1 :]


def _un_dob(entry) -> str:  # type: ignore[no-untyped-def]
    for b in entry.birth_dates:
        if b.year_to is None and not b.approximate:
            return str(b)
    return ""


def _pos_dob(dob: str, rng: random.Random) -> str:
    """A traveller's dob for a true match: equal, a year off, or day/month swapped."""
    if not dob:
        return ""
    r = rng.random()
    if len(dob) == 10 and r < 0.2:
        y, m, d = dob.split("-")
        if int(d) <= 12 and d != m:
            return f"{y}-{d}-{m}"
    if r < 0.45:
        y = int(dob[:4]) + rng.choice((-1, 1))
        return f"{y:04d}{dob[4:]}"
    return dob


def _neg_dob(dob: str, rng: random.Random) -> str:
    if not dob:
        return ""
    y = int(dob[:4]) + rng.choice((-1, 1)) * rng.randint(4, 25)
    return f"{y:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def un_rows(un_file: Path, n_people: int = 150) -> list[list[str]]:
    from openpiu.screening.loaders import load_un_xml

    entries = load_un_xml(un_file.read_bytes())
    people = [e for e in entries if e.kind == "person"]
    # Every token set the list knows (names and aliases): a negative must not be one.
    known: list[set[str]] = []
    for e in people:
        known.append(set(fold(e.name).split()))
        for a in e.aliases:
            known.append(set(fold(a.text).split()))
    token_count: dict[str, int] = {}
    for e in people:
        for t in set(fold(e.name).split()):
            token_count[t] = token_count.get(t, 0) + 1
    usable = [e for e in people
              if _LATIN.match(e.name) and len(fold(e.name).split()) >= 2
              and all(len(t) >= 2 for t in fold(e.name).split())]  # fmt: skip
    rng = random.Random(SEED)
    chosen = rng.sample(usable, n_people)
    given_pool = sorted(
        {
            fold(e.name_parts[0])
            for e in usable
            if " " not in e.name_parts[0] and fold(e.name_parts[0]) not in _PARTICLES
        }
    )
    family_pool = sorted({fold(e.name_parts[-1]) for e in usable})
    rows: list[list[str]] = []
    for k, e in enumerate(chosen):
        name = fold(e.name)
        toks = name.split()
        culture = _UN_CULTURE.get(e.nationalities[0], "other") if e.nationalities else "other"
        dob = _un_dob(e)
        # One positive each: typos (1-2 letters), a dropped part, or the order swapped.
        mode = ("typo", "typo", "drop", "swap")[k % 4]
        if mode == "drop" and len(toks) < 3:
            mode = "typo"
        if mode == "typo":
            t1 = list(toks)
            long_ = [i for i, t in enumerate(t1) if len(t) >= 4] or [len(t1) - 1]
            j = rng.choice(long_)
            t1[j] = typo(t1[j], rng)
            if rng.random() < 0.4:  # a second edit, maybe in another part
                j2 = rng.choice(long_)
                t1[j2] = typo(t1[j2], rng)
            if t1 == toks:  # a name of short parts only: add a letter
                t1[-1] = t1[-1] + t1[-1][-1]
            kind, left = "un_typo", " ".join(t1)
        elif mode == "drop":
            drop = rng.randrange(1, len(toks) - 1)
            kind, left = "un_dropped_part", " ".join(toks[:drop] + toks[drop + 1 :])
        else:
            parts = [fold(p) for p in e.name_parts if fold(p)]
            if len(parts) < 2:
                parts = list(toks)
            swapped = [parts[-1], *parts[:-1]]
            if rng.random() < 0.5:  # and a typo in the given name
                swapped[1] = typo(swapped[1], rng)
            kind, left = "un_swapped_order", " ".join(swapped)
        rows.append([left, e.name, _pos_dob(dob, rng) if rng.random() < 0.7 else "",
                     dob, "1", kind, culture])  # fmt: skip
        # Negatives: another person sharing one part (the given-like first part; for
        # every other one also one sharing the family-like last part).
        core = [t for t in toks if t not in _PARTICLES and len(t) >= 3] or toks
        keeps = [True, False] if k % 2 else [True]
        for keep_given in keeps:
            for _ in range(50):
                if keep_given:
                    cand = [core[0], rng.choice(family_pool)]
                else:
                    cand = [rng.choice(given_pool), core[-1]]
                cset = set(" ".join(cand).split())
                if len(cset) < 2 or any(cset <= s for s in known):
                    continue
                # the new part must differ clearly from this person's own parts
                new_part = cand[1] if keep_given else cand[0]
                if any(n[:3] == t[:3] for n in new_part.split() for t in toks):
                    continue
                break
            else:
                continue
            left = " ".join(cand)
            if rng.random() < 0.3:
                left = " ".join(reversed(cand))
            ldob = _neg_dob(dob, rng) if dob and rng.random() < 0.6 else ""
            rows.append([left, e.name, ldob, dob if ldob else "", "0", "un_neg_shared_part",
                         culture])  # fmt: skip
    return rows


# -- innocents -----------------------------------------------------------------------
def innocents(un_file: Path | None, n: int = 5000) -> list[dict[str, str]]:
    from openpiu.synth.names import _table
    from openpiu.synth.people import PersonFactory
    from openpiu.synth.profiles import get_profile

    profile = get_profile("tajikistan")
    # The overall nationality mix: the route-type mixes added up, each route weighted once.
    totals: dict[str, float] = {}
    for mix in profile.mixes.values():
        for item in mix.split():
            code, w = item.split(":")
            totals[code] = totals.get(code, 0.0) + float(w)
    nat_spec = " ".join(f"{c}:{w}" for c, w in sorted(totals.items()))
    known: set[frozenset[str]] = set()
    if un_file is not None:
        from openpiu.screening.loaders import load_un_xml

        for e in load_un_xml(un_file.read_bytes()):
            if e.kind != "person":
                continue
            known.add(frozenset(fold(e.name).split()))
            for a in e.aliases:
                known.add(frozenset(fold(a.text).split()))
    rng = random.Random(SEED + 1)
    factory = PersonFactory(rng, profile.cultures)
    today = date(2026, 3, 1)
    out: list[dict[str, str]] = []
    while len(out) < n:
        nat = _table(nat_spec).pick(rng)
        gender = "M" if rng.random() < 0.62 else "F"
        p = factory.make(nat, gender, "A" if rng.random() < 0.8 else "B",
                         "MR" if gender == "M" else "MRS", today)  # fmt: skip
        sur, giv = p.name.passport_surname, p.name.passport_given
        if frozenset(f"{sur} {giv}".split()) in known:
            continue  # by construction no innocent is a list person's full name
        out.append({
            "id": f"INN{len(out) + 1:05d}", "surname": sur, "given_names": giv,
            "dob": p.dob.isoformat(), "nationality": p.nationality, "gender": p.gender,
            "doc_number": p.passport.number, "doc_country": p.passport.issuing_country or "",
        })  # fmt: skip
    return out


def check_dobs(row: list[str]) -> None:
    """Negatives with both dates differ by 3 years or more; positives agree (equal,
    a year off, or day and month swapped)."""
    left, right, label = row[2], row[3], row[4]
    if not left or not right:
        return
    gap = abs(int(left[:4]) - int(right[:4]))
    if label == "0" and gap < 3:
        raise ValueError(f"negative with close dates of birth: {row}")
    if label == "1" and gap > 1:
        raise ValueError(f"positive with dates of birth {gap} years apart: {row}")
    swapped = (left[5:7], left[8:10]) == (right[8:10], right[5:7])
    if (
        label == "1"
        and gap == 0
        and len(left) == len(right) == 10
        and left != right
        and not swapped
    ):
        raise ValueError(f"positive with different dates of birth: {row}")


def shared_dir() -> Path:
    env = os.environ.get("PIU_SHARED_DIR")
    return Path(env) if env else HERE.parents[1] / "shared"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--un", type=Path, default=shared_dir() / "data" / "un_consolidated_2026-02-27.xml"
    )
    ap.add_argument("--out", type=Path, default=HERE / "data")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = hand_rows()
    un_file = args.un if args.un.exists() else None
    if un_file is None:
        print(f"UN list not found at {args.un}: writing the hand-written pairs only")
    else:
        rows += un_rows(un_file)
    for r in rows:
        check_dobs(r)
    seen: set[tuple[str, str, str, str]] = set()
    uniq = []
    for r in rows:
        key = (r[0], r[1], r[2], r[3])
        if key not in seen:
            seen.add(key)
            uniq.append(r)
    with (args.out / "name_pairs.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["pair_id", "left", "right", "dob_left", "dob_right", "label", "kind",
                    "culture"])  # fmt: skip
        for i, r in enumerate(uniq, 1):
            w.writerow([f"P{i:04d}", *r])
    pos = sum(r[4] == "1" for r in uniq)
    print(f"name_pairs.csv: {len(uniq)} pairs, {pos} positive, {len(uniq) - pos} negative")
    inn = innocents(un_file)
    with (args.out / "innocents.csv").open("w", encoding="utf-8", newline="") as fh:
        w2 = csv.DictWriter(fh, fieldnames=list(inn[0]), lineterminator="\n")
        w2.writeheader()
        w2.writerows(inn)
    print(f"innocents.csv: {len(inn)} travellers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
