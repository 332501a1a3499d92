#!/usr/bin/env python3
"""Writes DuckDB files shaped like the reference toolkit's (go/import_all.go, go/db.go), with the real duckdb
package, for scripts/tests/interchange.sh:

  full.duckdb     golden_set, seeds, expansion_prompts with the reference's column types and some NULLs, and a
                  training_examples table (no workspace counterpart)
  partial.duckdb  golden_set only (the other tables missing)
  bad.duckdb      golden_set with a NULL prompt and an empty response

Usage: make_reference_duckdb.py DIR
"""
import os
import sys

import duckdb

out = sys.argv[1]
GOLDEN = """CREATE TABLE golden_set (idx INT, seed_id VARCHAR, domain VARCHAR, voice VARCHAR, prompt VARCHAR,
    response VARCHAR, gen_time DOUBLE, char_count INT, word_count BIGINT)"""
golden = [
    (0, "eu-001", "ethics", "plain", "What makes a promise binding?", "A promise binds because another person relies on it.", 1.25),
    (1, "eu-002", None, None, "Name a river in Europe.", "The Danube flows through ten countries.", 0.5),
    (2, "us-001", "nature", "warm", "Why do leaves change colour?", "Chlorophyll fades and other pigments show.", None),
    (3, None, "math", None, "What is seven times six?", "Seven times six is forty-two.", 0.1),
    (4, "eu-003", "language", "plain", "Translate 'bonjour' — and say \"why\".", "It means \"hello\": bon + jour.\nLiterally 'good day'.", 2.0),
    (5, "asia-01", "culture", None, "¿Qué es la cortesía? 礼貌是什么？", "Courtesy is care shown in small things. 礼貌。", 3.5),
    (6, "us-002", "nature", "plain", "How do bees find flowers?", "Bees see ultraviolet patterns and follow scent.", 0.75),
    (7, "us-003", None, "plain", "What is a good first programming language?", "Python, because it reads like prose.", 1.0),
    (8, "eu-004", "ethics", None, "Is honesty always right?", "Honesty is a strong default, weighed against harm.", 1.5),
    (9, "eu-005", "geography", None, "Name a mountain in Africa.", "Kilimanjaro rises above the Tanzanian plains.", 0.9),
    (10, "us-004", "food", "warm", "How do you boil an egg?", "Simmer it for nine minutes, then cool it in cold water.", 0.4),
    (11, "us-005", "food", None, "Name a citrus fruit.", "A lemon is a citrus fruit.", 0.3),
]


def golden_table(con, rows):
    con.execute(GOLDEN)
    for idx, seed, domain, voice, prompt, response, gen in rows:
        con.execute("INSERT INTO golden_set VALUES (?, ?, ?, ?, ?, ?, ?, length(?), length(?) - length(replace(?, ' ', '')) + 1)",
                    [idx, seed, domain, voice, prompt, response, gen, response, response, response])


def make(name):
    path = os.path.join(out, name)
    if os.path.exists(path):
        os.remove(path)
    return duckdb.connect(path)


con = make("full.duckdb")
golden_table(con, golden)
con.execute("CREATE TABLE seeds (source_file VARCHAR, region VARCHAR, seed_id VARCHAR, domain VARCHAR, prompt TEXT)")
con.executemany("INSERT INTO seeds VALUES (?, ?, ?, ?, ?)", [
    ("eu/ethics.json", "eu", "eu-001", "ethics", "What makes a promise binding?"),
    ("eu/ethics.json", "eu", "eu-006", None, "When is silence a lie?"),
    ("us/nature.json", "us", "", "", "Why is the sea salty?"),
    ("us/nature.json", "us", None, "nature", "How do birds navigate?"),
])
con.execute("""CREATE TABLE expansion_prompts (idx BIGINT, seed_id VARCHAR, region VARCHAR, domain VARCHAR,
    language VARCHAR, prompt VARCHAR, prompt_en VARCHAR, priority INT, status VARCHAR)""")
con.executemany("INSERT INTO expansion_prompts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
    (0, "eu-001", "eu", "ethics", "en", "Can a promise to yourself be broken?", None, 2, "pending"),
    (1, "eu-006", "eu", None, "fr", "Le silence peut-il mentir ?", "Can silence lie?", 1, "pending"),
    (2, "us-001", "us", "nature", "en", "Why do some trees keep their leaves?", None, 3, "done"),
    (3, "us-002", None, None, None, "What do bees do in winter?", None, None, None),
])
con.execute("""CREATE TABLE training_examples (source VARCHAR, split VARCHAR, prompt TEXT, response TEXT,
    num_turns INT, full_messages TEXT, char_count INT)""")
con.execute("INSERT INTO training_examples VALUES ('training', 'train', 'p', 'r', 1, '[]', 1)")
con.close()

con = make("partial.duckdb")
golden_table(con, golden[:3])
con.close()

con = make("bad.duckdb")
golden_table(con, [golden[0], (1, "x", None, None, None, "orphan response", 0.0), (2, "y", None, None, "A prompt", "", 0.0)])
con.close()
