"""Fictional data with known answers, for tests, the benchmark and the demo.

``ground_truth`` makes fictional people who appear across three sources (custody records, a
subscriber check with no date of birth, bank records) with typos, swapped name order, nicknames,
different phone formats, mixed date formats, shared junk numbers and a taxi firm's number, and
returns the sources plus the true person behind every row. Phone numbers are Ofcom drama-range
numbers only; e-mail domains are example.com/.org/.net.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FIRST = ["John", "Mary", "David", "Sarah", "Michael", "Emma", "James", "Laura", "Robert", "Aisha",
         "Daniel", "Chloe", "Thomas", "Hannah", "Mohammed", "Zoë", "Piotr", "Agnieszka", "Andrei",
         "Elena", "Kwame", "Amara", "Liam", "Niamh", "Connor", "Siobhan", "Tariq", "Fatima",
         "William", "Grace", "Samuel", "Olivia", "Joseph", "Jessica", "Richard", "Rebecca",
         "Mihai", "Ioana", "Arben", "Besa", "Tuan", "Linh", "Kieran", "Jade", "Nathan", "Leah",
         "Callum", "Megan", "Ryan", "Amy", "Jamal", "Kelsey", "Dominic", "Ellie", "Marcus", "Paige"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
        "Khan", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
        "Hall", "Wood", "Jackson", "Clarke", "Kowalski", "Nowak", "Popescu", "Ionescu", "Hoxha",
        "Krasniqi", "Nguyen", "Tran", "Okafor", "Mensah", "O'Brien", "Murphy", "Kelly", "Hussain",
        "Ali", "Begum", "Ahmed", "Shah", "Lewis", "Harris", "Martin", "Cooper", "King", "Lee",
        "Mitchell", "Turner", "Phillips", "Campbell", "Parker", "Edwards", "Morris", "Rogers"]
NICK = {"Robert": "Bob", "William": "Bill", "James": "Jim", "Michael": "Mike", "David": "Dave",
        "Thomas": "Tom", "Daniel": "Danny", "Joseph": "Joe", "Richard": "Rick", "Samuel": "Sam",
        "Rebecca": "Becky", "Jessica": "Jess", "John": "Jon"}
TAXI = "0161 496 0999"            # a taxi firm's number, rung or given by many unrelated people
JUNK_PHONES = ["07000000000", "Withheld", "00000000000"]


def _phone_pool() -> list[str]:
    """National-format drama numbers (mobile first), excluding the taxi firm's."""
    mob = [f"07700 900{i:03d}" for i in range(1000)]
    land = [f"0{code} 496 {i:04d}" for code in (113, 114, 116, 117, 118, 121, 131, 141, 151, 161)
            for i in range(1000)]
    land = [p for p in land if p != TAXI]
    return mob + land


def phone_formats(national: str, rng) -> str:
    """The same number written as a custody clerk, a telco and a bank might."""
    digits = national.replace(" ", "")
    body = digits[1:]
    form = rng.integers(0, 6)
    if form == 0:
        return national
    if form == 1:
        return digits
    if form == 2:
        return "+44" + body
    if form == 3:
        return "+44 " + national[1:]
    if form == 4:
        return "0044" + body
    return "44" + body


def _dob_format(d: pd.Timestamp, rng) -> str:
    form = rng.integers(0, 5)
    if form == 0:
        return d.strftime("%d/%m/%Y")
    if form == 1:
        return f"{d.day}/{d.month}/{d.year}"
    if form == 2:
        return d.strftime("%Y-%m-%d")
    if form == 3:
        return d.strftime("%d-%m-%Y")
    return f"{d.day} {d.strftime('%b')} {d.year}"


def _typo(name: str, rng) -> str:
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if len(letters) < 4:
        return name
    i = int(rng.choice(letters[1:-1]))
    kind = rng.integers(0, 3)
    if kind == 0 and i + 1 < len(name) and name[i + 1].isalpha():      # swap two letters
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    if kind == 1:                                                       # drop one
        return name[:i] + name[i + 1:]
    sub = "aeiou" if name[i].lower() in "aeiou" else "nmrtsl"
    return name[:i] + str(rng.choice(list(sub.replace(name[i].lower(), "")))) + name[i + 1:]


def _name_variant(first: str, last: str, rng, p_typo: float) -> str:
    if first in NICK and rng.random() < 0.15:
        first = NICK[first]
    if rng.random() < p_typo:
        if rng.random() < 0.5:
            first = _typo(first, rng)
        else:
            last = _typo(last, rng)
    form = rng.integers(0, 4)
    if form == 0:
        return f"{first} {last}"
    if form == 1:
        return f"{last.upper()}, {first}"
    if form == 2:
        return f"{first.upper()} {last.upper()}"
    return f"{last} {first}"


def ground_truth(n_people: int = 400, seed: int = 7, p_typo: float = 0.25, taxi_people: int = 25):
    """Three sources and the truth. Returns (sources, truth):

    ``sources``: {'custody.csv': df, 'subscriber.csv': df, 'bank.csv': df} (every column text);
    ``truth``: one row per source row: _source, _row, person, has_dob, evidence (the person's
    genuine identifiers shown on that row, ';'-joined, for the evidence bound).
    """
    rng = np.random.default_rng(seed)
    pool = _phone_pool()
    phones = rng.choice(len(pool), size=2 * n_people, replace=False)
    people = []
    for p in range(n_people):
        first, last = str(rng.choice(FIRST)), str(rng.choice(LAST))
        dob = pd.Timestamp("1960-01-01") + pd.Timedelta(days=int(rng.integers(0, 45 * 365)))
        own = [pool[phones[2 * p]]] + ([pool[phones[2 * p + 1]]] if rng.random() < 0.3 else [])
        dom = ["example.com", "example.org", "example.net"][p % 3]
        email = f"{first.lower().replace('ë', 'e')}.{last.lower().replace(chr(39), '')}{p}@{dom}"
        account = f"{int(rng.integers(10_000_000, 99_999_999))}"
        people.append(dict(first=first, last=last, dob=dob, phones=own, email=email, account=account))
    taxi_users = set(rng.choice(n_people, size=min(taxi_people, n_people), replace=False).tolist())

    specs = {  # source: (probability a person appears, has dob column, identifier probabilities)
        "custody.csv": (0.65, True, {"phone": 0.6, "email": 0.3, "account": 0.0}),
        "subscriber.csv": (0.6, False, {"phone": 0.95, "email": 0.5, "account": 0.0}),
        "bank.csv": (0.5, True, {"phone": 0.5, "email": 0.4, "account": 0.9}),
    }
    rows = {s: [] for s in specs}
    truth = {s: [] for s in specs}
    for p, person in enumerate(people):
        appears = [s for s, (prob, _, _) in specs.items() if rng.random() < prob]
        if not appears:
            appears = [list(specs)[int(rng.integers(0, 3))]]
        for s in appears:
            _, has_dob_col, idp = specs[s]
            for _ in range(2 if rng.random() < 0.15 else 1):
                ev = []
                rec = {"name": _name_variant(person["first"], person["last"], rng, p_typo)}
                if has_dob_col:
                    rec["dob"] = _dob_format(person["dob"], rng) if rng.random() > 0.1 else ""
                phone = ""
                if rng.random() < idp["phone"]:
                    ph = person["phones"][int(rng.integers(0, len(person["phones"])))]
                    phone = phone_formats(ph, rng)
                    ev.append("phone:" + ph.replace(" ", ""))
                elif rng.random() < 0.3:
                    phone = str(rng.choice(JUNK_PHONES))
                if p in taxi_users and s != "bank.csv" and rng.random() < 0.8:
                    phone = phone_formats(TAXI, rng)  # the number given was the taxi firm's
                    ev = [e for e in ev if not e.startswith("phone:")]
                rec["phone"] = phone
                if rng.random() < idp["email"]:
                    e = person["email"]
                    rec["email"] = e.upper() if rng.random() < 0.2 else (" " + e if rng.random() < 0.1 else e)
                    ev.append("email:" + e)
                else:
                    rec["email"] = ""
                if s == "bank.csv":
                    if rng.random() < idp["account"]:
                        a = person["account"]
                        rec["account"] = f"40-47-78 {a}" if rng.random() < 0.5 else f"404778{a}"
                        ev.append("account:" + a)
                    else:
                        rec["account"] = ""
                rows[s].append(rec)
                truth[s].append(dict(person=p, has_dob=bool(has_dob_col and rec.get("dob")),
                                     evidence=";".join(ev)))
    column_names = {
        "custody.csv": {"name": "Name", "dob": "DOB", "phone": "Phone", "email": "Email"},
        "subscriber.csv": {"name": "name", "phone": "phone", "email": "email"},
        "bank.csv": {"name": "Name", "dob": "Date Of Birth", "phone": "Phone", "email": "E-mail",
                     "account": "Account"},
    }
    sources, truths = {}, []
    for s, recs in rows.items():
        df = pd.DataFrame(recs).rename(columns=column_names[s]).astype("str")
        sources[s] = df
        t = pd.DataFrame(truth[s])
        t.insert(0, "_row", np.arange(1, len(t) + 1))
        t.insert(0, "_source", s)
        truths.append(t)
    return sources, pd.concat(truths, ignore_index=True)


def write_ground_truth(folder, **kwargs) -> tuple[list[str], pd.DataFrame]:
    """Write the three sources as CSV files into ``folder``; returns (paths, truth)."""
    import os

    sources, truth = ground_truth(**kwargs)
    paths = []
    for name, df in sources.items():
        path = os.path.join(folder, name)
        df.to_csv(path, index=False)
        paths.append(path)
    return paths, truth


# ------------------------------------------------------------------------------ benchmark rows

def benchmark_rows(n_rows: int, seed: int = 42) -> pd.DataFrame:
    """The table ``benchmarks/bench_merge.py`` resolves: ``n_rows`` rows of ``n_rows / 4``
    fictional people with name (three layouts, 10% typos), date of birth (three formats, 15%
    missing), phone (drama-range numbers for the first ~11,000 people, four spellings, 2% a junk
    number), e-mail (60%, some upper-case) and IMEI (50%). Deterministic for a seed."""
    rng = np.random.default_rng(seed)
    n_people = max(10, n_rows // 4)
    person = rng.integers(0, n_people, n_rows)
    first = np.array(FIRST, dtype=object)[rng.integers(0, len(FIRST), n_people)]
    last = np.array(LAST, dtype=object)[rng.integers(0, len(LAST), n_people)]
    dob = pd.Timestamp("1960-01-01") + pd.to_timedelta(rng.integers(0, 45 * 365, n_people), unit="D")

    # names: forename surname, SURNAME, Forename, or with a typo
    f, l = first[person], last[person]
    form = rng.integers(0, 3, n_rows)
    names = np.where(form == 0, f + " " + l, np.where(form == 1, pd.Series(l).str.upper().to_numpy() + ", " + f,
                                                       l + " " + f))
    typo = np.flatnonzero(rng.random(n_rows) < 0.1)
    names[typo] = [_typo(x, rng) for x in names[typo]]
    # dates of birth in three formats, 15% missing
    d = dob[person]
    dform = rng.integers(0, 3, n_rows)
    dobs = np.where(dform == 0, d.strftime("%d/%m/%Y"), np.where(dform == 1, d.strftime("%Y-%m-%d"),
                                                                 d.strftime("%d-%m-%Y")))
    dobs[rng.random(n_rows) < 0.15] = ""
    # phones: drama-range numbers only exist for ~16,000 people; written in four formats
    pool = np.array([p.replace(" ", "") for p in _phone_pool()], dtype=object)
    has_phone = (person < len(pool)) & (rng.random(n_rows) < 0.8)
    national = pool[np.minimum(person, len(pool) - 1)]
    pform = rng.integers(0, 4, n_rows)
    body = pd.Series(national).str.slice(1).to_numpy()
    phones = np.where(pform == 0, national, np.where(pform == 1, "+44" + body,
                      np.where(pform == 2, "0044 " + body, "(0" + pd.Series(body).str.slice(0, 4).to_numpy()
                               + ") " + pd.Series(body).str.slice(4).to_numpy())))
    phones = np.where(has_phone, phones, "")
    junk = rng.random(n_rows) < 0.02
    phones[junk] = "07000000000"
    # e-mail for 60% of rows, sometimes upper-case; IMEI for 50%
    emails = np.where(rng.random(n_rows) < 0.6, "p" + person.astype(str) + "@example.org", "")
    up = rng.random(n_rows) < 0.2
    emails[up] = pd.Series(emails[up]).str.upper().to_numpy()
    imeis = np.where(rng.random(n_rows) < 0.5, "35" + pd.Series(person).astype(str).str.zfill(12).to_numpy() + "0", "")
    df = pd.DataFrame({"name": names, "dob": dobs, "phone": phones, "email": emails, "imei": imeis})
    return df.astype("str")




# ------------------------------------------------------------------------------------ scoring

def _pairs(counts: np.ndarray) -> int:
    counts = counts.astype(np.int64)
    return int((counts * (counts - 1) // 2).sum())


def pairwise_scores(predicted, truth) -> dict:
    """Pairwise precision and recall of a clustering against the true one (arrays of labels)."""
    p = pd.Series(np.asarray(predicted)).astype("str").to_numpy()
    t = pd.Series(np.asarray(truth)).astype("str").to_numpy()
    both = pd.DataFrame({"p": p, "t": t}).value_counts().to_numpy()
    tp = _pairs(both)
    pred = _pairs(pd.Series(p).value_counts().to_numpy())
    true = _pairs(pd.Series(t).value_counts().to_numpy())
    return {"precision": tp / pred if pred else 1.0, "recall": tp / true if true else 1.0,
            "true_pairs": true, "predicted_pairs": pred, "correct_pairs": tp}


def evidence_bound(truth: pd.DataFrame) -> dict:
    """The best pairwise recall any honest linker could reach: rows of one person are linkable
    when they share a genuine identifier, or both carry a date of birth (perfect name-and-DOB
    linking), directly or through a chain. Rows with neither cannot be linked by name alone."""
    from .graph import components

    n = len(truth)
    person = truth["person"].to_numpy()
    ev = truth["evidence"].fillna("").str.split(";").explode()
    ev = ev[ev != ""]
    keys = pd.Series(person[ev.index.to_numpy()].astype(str), index=ev.index) + "|" + ev
    dob_rows = np.flatnonzero(truth["has_dob"].to_numpy())
    dob_keys = pd.Series(person[dob_rows].astype(str), index=dob_rows) + "|dob"
    allk = pd.concat([keys, dob_keys])
    codes, _ = pd.factorize(allk)
    from .graph import key_star_edges

    u, v = key_star_edges(allk.index.to_numpy().astype(np.int64), codes.astype(np.int64))
    label = components(n, u, v)
    linkable = pairwise_scores(label, person)
    return {"recall_bound": linkable["recall"], "true_pairs": linkable["true_pairs"]}
