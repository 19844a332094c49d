#!/usr/bin/env python3
# Writes N interactions with one partner participant each into a migrated Sdelka SQLite file:
# python3 scripts/gen-interactions.py bench.sqlite 1000000. Responsible: the managers (role
# manager) already there; five kinds; occurred over the last three years; 30 % not reviewed,
# a tenth of those with a review date. Set-based: recursive CTEs inside SQLite, one transaction.
import sqlite3, sys
path, n = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(path)
db.execute("PRAGMA journal_mode=WAL")
users = [r[0] for r in db.execute("SELECT id FROM users WHERE role = 'manager' ORDER BY login")]
partners = db.execute("SELECT COUNT(*) FROM partners").fetchone()[0]
uuid = "upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-A' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
db.execute("CREATE TEMP TABLE u (k INTEGER PRIMARY KEY, id TEXT)")
db.executemany("INSERT INTO u VALUES (?, ?)", list(enumerate(users)))
db.execute("CREATE TEMP TABLE p (k INTEGER PRIMARY KEY, id TEXT)")
db.execute("INSERT INTO p SELECT rowid - 1, id FROM partners")
now = db.execute("SELECT CAST(strftime('%s', 'now') AS REAL)").fetchone()[0]
with db:
    db.execute(f"""
        CREATE TEMP TABLE g AS WITH RECURSIVE s(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM s WHERE x < {n - 1})
        SELECT x, {uuid} AS id, abs(random()) % {len(users)} AS uk, abs(random()) % {partners} AS pk,
               {now} - (abs(random()) % (3 * 365 * 86400)) AS at, abs(random()) % 10 AS r FROM s""")
    db.execute(f"""
        INSERT INTO interactions (id, version, deletion_mark, created_at, updated_at, type, topic, description, importance,
            responsible_id, author_id, basis_id, subject_type, subject_id, partner_id, reviewed, review_after, occurred_at,
            incoming, search_text)
        SELECT g.id, 1, 0, g.at, g.at, CASE g.x % 5 WHEN 0 THEN 'meeting' WHEN 1 THEN 'planned' WHEN 2 THEN 'call' WHEN 3 THEN 'email' ELSE 'sms' END,
               'Тема ' || g.x, 'Описание ' || g.x, 'normal', u.id, u.id, NULL, 'interaction', g.id, p.id,
               g.r >= 3, CASE WHEN g.r = 0 THEN date(g.at, 'unixepoch', '+30 days') END, g.at,
               CASE WHEN g.x % 5 = 2 THEN 1 END, 'тема ' || g.x
        FROM g JOIN u ON u.k = g.uk JOIN p ON p.k = g.pk""")
    db.execute(f"""
        INSERT INTO interaction_participants (id, interaction_id, position, partner_id)
        SELECT {uuid}, g.id, 0, p.id FROM g JOIN p ON p.k = g.pk""")
    db.execute("""
        INSERT INTO interaction_subjects (subject_type, subject_id, unreviewed, last_at)
        SELECT subject_type, subject_id, SUM(CASE WHEN reviewed THEN 0 ELSE 1 END), MAX(occurred_at) FROM interactions GROUP BY subject_type, subject_id""")
db.execute("ANALYZE")
db.close()
