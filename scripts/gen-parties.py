#!/usr/bin/env python3
# Generates the partners benchmark files: python3 scripts/gen-parties.py 100000 /tmp/parties
# writes partners.csv (N), counterparties.csv (1.5 N, valid INNs, unique INN+KPP) and
# contact-persons.csv (N, with phones and e-mails) in the import formats of ARCHITECTURE.md.
import os, random, sys
n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
out = sys.argv[2] if len(sys.argv) > 2 else "."
os.makedirs(out, exist_ok=True)
random.seed(7)
words = ["Ромашка", "Север", "Вектор", "Альфа", "Техно", "Снаб", "Торг", "Строй", "Маркет", "Сервис", "Лидер", "Прогресс", "Урал", "Волга", "Дон"]
forms = ["ООО", "АО", "ИП", "ПАО"]
first = ["Алексей", "Ольга", "Дмитрий", "Мария", "Сергей", "Анна", "Игорь", "Елена", "Павел", "Наталья"]
last = ["Иванов", "Смирнова", "Кузнецов", "Попова", "Соколов", "Лебедева", "Козлов", "Новикова", "Морозов", "Волкова"]

def q(text):
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text

def inn10(body9):
    weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    digits = [int(c) for c in body9]
    return body9 + str(sum(w * d for w, d in zip(weights, digits)) % 11 % 10)

with open(os.path.join(out, "partners.csv"), "w") as f:
    f.write("code,name,full_name,kind,is_client,is_supplier,is_competitor,parent_code,manager_login,region,access_group,channel\n")
    for i in range(1, n + 1):
        name = f'{random.choice(forms)} "{random.choice(words)}{random.choice(words).lower()}-{i}"'
        parent = f"P{random.randint(1, i - 1):06d}" if i > 1 and random.random() < 0.05 else ""
        f.write(f"P{i:06d},{q(name)},,company,true,{str(random.random() < 0.1).lower()},false,{parent},,,,\n")

with open(os.path.join(out, "counterparties.csv"), "w") as f:
    f.write("code,partner_code,name,legal_form,inn,kpp,ogrn\n")
    for i in range(1, n * 3 // 2 + 1):
        partner = (i - 1) % n + 1
        inn = inn10(f"77{i:07d}")
        f.write(f"K{i:07d},P{partner:06d},{q('ООО «' + random.choice(words) + '-' + str(i) + '»')},legalEntity,{inn},7701{i % 100:02d}001,\n")

with open(os.path.join(out, "contact-persons.csv"), "w") as f:
    f.write("partner_code,name,position,phone,email\n")
    for i in range(1, n + 1):
        f.write(f"P{i:06d},{random.choice(last)} {random.choice(first)},Менеджер,+7 (9{i % 100:02d}) {i % 1000:03d}-{(i // 1000) % 100:02d}-{i % 97:02d},c{i}@example.ru\n")
