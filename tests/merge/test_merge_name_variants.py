"""Issue 19: resolve links one person's records whose names differ by a transliteration, a
swapped forename/surname or a missing middle name, or whose date of birth has day and month
swapped, says so in match_reasons, and keeps twins, siblings and namesakes apart."""

from __future__ import annotations

import numpy as np
import pandas as pd

from toexcli.merge.resolution import resolve
from toexcli.merge.synthetic import pairwise_scores

# (spelling A, spelling B) of one forename: transliterations met in custody/subscriber data
TRANSLIT = [("Aleksandr", "Alexander"), ("Mohammed", "Muhammad"), ("Dmitri", "Dmitry"),
            ("Yusuf", "Iusuf"), ("Oleksandr", "Aleksander"), ("Mikhail", "Mihail"),
            ("Ahmed", "Ahmad"), ("Yevgeny", "Evgeny"), ("Sergei", "Sergey"), ("Andriy", "Andrii")]
FIRST = ["Ana", "Bogdan", "Elira", "Florin", "Gentian", "Ilir", "Kasia", "Luan", "Marta", "Nikola",
         "Oana", "Piotr", "Rita", "Tomas", "Vlad", "Zana", "Besnik", "Dorin", "Ewa", "Jonas"]
MIDDLE = ["Maria", "Ionut", "Paul", "Elena", "Andrei"]
LAST = ["Popescu", "Hoxha", "Nowak", "Kazlauskas", "Ivanov", "Nguyen", "Kovacs", "Horvat", "Petrov",
        "Shehu", "Dumitru", "Wojcik", "Balog", "Marin", "Krasniqi", "Lungu"]


def variant_set(n: int = 300, seed: int = 19):
    """Pairs of rows (custody, subscriber) with only a name and a date of birth to go on."""
    rng = np.random.default_rng(seed)
    rows, person = [], []
    kinds = ["translit", "swapped", "middle", "dob_swapped", "same"]
    for p in range(n):
        kind = kinds[p % len(kinds)]
        last = LAST[rng.integers(len(LAST))]
        day, month = int(rng.integers(1, 13)), int(rng.integers(1, 13))
        if kind == "dob_swapped" and day == month:
            day = month % 12 + 1
        year = int(rng.integers(1965, 2005))
        dob = f"{day:02d}/{month:02d}/{year}"
        first = FIRST[rng.integers(len(FIRST))] + str(p)  # unique people
        a_name = b_name = f"{first} {last}"
        b_dob = dob
        if kind == "translit":
            fa, fb = TRANSLIT[rng.integers(len(TRANSLIT))]
            a_name, b_name = f"{fa} {last}{p}", f"{fb} {last}{p}"
        elif kind == "swapped":
            b_name = f"{last} {first}"
        elif kind == "middle":
            a_name = f"{first} {MIDDLE[rng.integers(len(MIDDLE))]} {last}"
        elif kind == "dob_swapped":
            b_dob = f"{month:02d}/{day:02d}/{year}"
        rows += [("custody.csv", a_name, dob), ("subscriber.csv", b_name, b_dob)]
        person += [p, p]
    # people who must stay apart: twins (same surname and date of birth, Ivan/Ivana-style
    # names), and namesakes born on a different date that is no day/month swap
    for q in range(60):
        p = n + 2 * q
        last = f"{LAST[q % len(LAST)]}{q}"
        dob = f"{q % 28 + 1:02d}/{q % 12 + 1:02d}/{1940 + q}"
        pair = [("Ivan", "Ivana"), ("Mario", "Maria"), ("Aleksandr", "Aleksandra"),
                ("Jan", "Jana")][q % 4]
        rows += [("custody.csv", f"{pair[0]} {last}", dob), ("subscriber.csv", f"{pair[1]} {last}", dob)]
        rows += [("custody.csv", f"Ana Maria {last}", f"15/03/{1940 + q}"),
                 ("subscriber.csv", f"Ana Maria {last}", f"16/03/{1940 + q}")]
        person += [p, p + 1, 10_000 + q, 20_000 + q]
    df = pd.DataFrame(rows, columns=["_source", "name", "dob"], dtype="str")
    df["_row"] = np.arange(1, len(df) + 1)
    df["phone"] = ""
    return df, np.array(person)


def test_variants_link_with_reasons_and_precision_stays():
    df, truth = variant_set()
    res = resolve(df, ["phone:phone"], name="name", dob="dob")
    scores = pairwise_scores(res.table["entity_id"].to_numpy(), truth)
    print(f"\nname variants: precision {scores['precision']:.3f}, recall {scores['recall']:.3f} "
          f"({scores['true_pairs']} true pairs)")
    assert scores["precision"] == 1.0
    assert scores["recall"] >= 0.93  # measured 0.960; before issue 19: 0.537, precision 0.739
    reasons = res.table["match_reasons"]
    for text in ("name transliterated", "middle name missing", "dob day/month swapped"):
        assert reasons.str.contains(text, regex=False).any(), text


def test_reason_on_each_kind():
    df = pd.DataFrame({
        "name": ["Aleksandr Ivanov", "Alexander Ivanov", "Ana Maria Popescu", "Ana Popescu",
                 "Elira Hoxha", "Elira Hoxha", "Ivan Petrov", "Ivana Petrov"],
        "dob": ["03/04/1990", "03/04/1990", "01/02/1985", "01/02/1985", "05/11/1992", "11/05/1992",
                "07/07/2001", "07/07/2001"],
        "phone": [""] * 8, "_source": ["a", "a", "a", "a", "a", "b", "a", "a"],
        "_row": list(range(1, 9))}).astype({"_row": int})
    t = resolve(df, ["phone:phone"], name="name", dob="dob").table
    e, r = t["entity_id"].tolist(), t["match_reasons"].tolist()
    assert e[0] == e[1] and "name transliterated" in r[0]
    assert e[2] == e[3] and "middle name missing" in r[3]
    assert e[4] == e[5] and "dob day/month swapped" in r[4]
    assert e[6] != e[7]  # Ivan and Ivana: twins, not one person
    # a swapped date within one source is another date (one source writes dates one way)
    one = df.assign(_source="a")
    t = resolve(one, ["phone:phone"], name="name", dob="dob").table
    assert t["entity_id"][4] != t["entity_id"][5]


def test_names_alone_still_never_link_without_a_date_of_birth():
    df = pd.DataFrame({"name": ["Aleksandr Ivanov", "Alexander Ivanov", "Ana Popescu", "Ana Maria Popescu"],
                       "phone": [""] * 4, "_source": ["a"] * 4, "_row": [1, 2, 3, 4]})
    t = resolve(df, ["phone:phone"], name="name").table
    assert t["entity_id"].nunique() == 4
