#!/usr/bin/env python3
# Generates a partners CSV for the import benchmark: python3 scripts/gen-partners.py 100000 > partners.csv
import random, sys
n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
random.seed(7)
words = ["Ромашка", "Север", "Вектор", "Альфа", "Техно", "Снаб", "Торг", "Строй", "Маркет", "Сервис", "Лидер", "Прогресс", "Урал", "Волга", "Дон"]
forms = ["ООО", "АО", "ИП", "ПАО"]
print("code,name,full_name,kind,is_client,is_supplier,is_competitor,parent_code,manager_login,region,access_group,channel")
for i in range(1, n + 1):
    name = f'{random.choice(forms)} "{random.choice(words)}{random.choice(words).lower()}-{i}"'
    quoted = '"' + name.replace('"', '""') + '"'
    parent = f"P{random.randint(1, i - 1):06d}" if i > 1 and random.random() < 0.05 else ""
    print(f"P{i:06d},{quoted},,company,true,{str(random.random() < 0.1).lower()},false,{parent},,,,")
