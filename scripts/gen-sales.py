#!/usr/bin/env python3
"""Writes products.csv and sales.csv for the sales benchmark: N_PRODUCTS products and about
N_LINES sales lines over three years (2023-11-01 … 2026-10-31) for N_PARTNERS partners coded
as scripts/gen-parties.py codes them (P000001…, counterparty K0000001 of each). Documents of
1–9 lines in date order; about 3% are returns; buying patterns differ by partner (regular,
seasonal, rare) so that every ABC/XYZ class appears.
usage: gen-sales.py N_PARTNERS N_PRODUCTS N_LINES DIR"""
import datetime, os, random, sys

partners, products, lines, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
random.seed(7)
prices = [round(random.uniform(50, 20000), 2) for _ in range(products)]
with open(os.path.join(out, "products.csv"), "w") as f:
    f.write("sku,name,group,unit,price\n")
    for i, price in enumerate(prices, 1):
        f.write(f"S{i:05d},Товар {i},Группа {i % 50 + 1},шт,{price:.2f}\n")

start = datetime.date(2023, 11, 1)
days = (datetime.date(2026, 10, 31) - start).days + 1
# A partner's weight: a few buy a lot (A), many buy little (C); some only in one season.
weights = [random.paretovariate(1.2) for _ in range(partners)]
season = [random.choice([None, None, None, 6, 12]) for _ in range(partners)]
total_weight = sum(weights)
cumulative, acc = [], 0.0
for w in weights:
    acc += w / total_weight
    cumulative.append(acc)

import bisect
per_day = lines / days
number = 0
with open(os.path.join(out, "sales.csv"), "w") as f:
    f.write("doc_number,date,partner_code,counterparty_code,product_sku,quantity,price,amount,cost\n")
    written = 0
    for d in range(days):
        date = start + datetime.timedelta(days=d)
        target = int(per_day * (d + 1)) - written
        while target > 0:
            p = min(bisect.bisect_left(cumulative, random.random()), partners - 1)
            if season[p] and date.month not in (season[p], season[p] % 12 + 1):
                p = random.randrange(partners)
            number += 1
            count = min(random.randint(1, 9), target)
            sign = -1 if random.random() < 0.03 else 1
            for _ in range(count):
                k = random.randrange(products)
                q = random.randint(1, 20) if random.random() < 0.9 else round(random.uniform(0.1, 10), 3)
                price = prices[k]
                amount = round(q * price + 1e-9, 2)
                cost = round(amount * random.uniform(0.6, 0.85), 2)
                f.write(f"D{number:08d},{date.isoformat()},P{p + 1:06d},K{p + 1:07d},S{k + 1:05d},{sign * q},{price:.2f},{sign * amount:.2f},{sign * cost:.2f}\n")
            written += count
            target -= count
print(number, "documents,", written, "lines")
