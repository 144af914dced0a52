#!/usr/bin/env python3
"""Write a synthetic GIAS "edubasealldata" extract for tests and benchmarks.

The header is the real 140-column header (bench/data/edubasealldata_columns_2025.txt);
the rows are made up but shaped like the real download: Windows-1252 bytes, DD-MM-YYYY
dates, quoted names with commas and apostrophes, closed schools, non-schools, and a
mix of local authorities.

    make_gias_csv.py OUT.csv [--rows 52000] [--seed 1]
"""

import argparse
import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS = (HERE / "data" / "edubasealldata_columns_2025.txt").read_text().split("\n")
COLUMNS = [c for c in COLUMNS if c.strip()]

LAS = [
    ("304", "Brent"),
    ("307", "Ealing"),
    ("205", "Hammersmith and Fulham"),
    ("310", "Harrow"),
    ("312", "Hillingdon"),
    ("313", "Hounslow"),
    ("207", "Kensington and Chelsea"),
    ("213", "Westminster"),
    ("202", "Camden"),
    ("884", "Herefordshire, County of"),
    ("893", "Shropshire"),
    ("894", "Telford and Wrekin"),
    ("336", "Wolverhampton"),
    ("330", "Birmingham"),
    ("373", "Sheffield"),
    ("926", "Norfolk"),
    ("0", "Does not apply"),
]
PHASES = [
    ("2", "Primary", 58),
    ("4", "Secondary", 14),
    ("0", "Not applicable", 20),
    ("1", "Nursery", 2),
    ("7", "All-through", 1),
    ("6", "16 plus", 2),
    ("3", "Middle deemed primary", 1),
    ("5", "Middle deemed secondary", 2),
]
STATUSES = [
    ("1", "Open", 60),
    ("2", "Closed", 38),
    ("3", "Open, but proposed to close", 1),
    ("4", "Proposed to open", 1),
]
TYPES = [
    ("1", "Community school", "4", "Local authority maintained schools"),
    ("2", "Voluntary aided school", "4", "Local authority maintained schools"),
    ("34", "Academy converter", "10", "Academies"),
    ("28", "Academy sponsor led", "10", "Academies"),
    ("35", "Free schools", "11", "Free Schools"),
    ("11", "Other independent school", "3", "Independent schools"),
    ("7", "Community special school", "5", "Special schools"),
    ("47", "Children's centre", "9", "Other types"),
]
SAINTS = [
    "St Thomas à Becket",
    "St Mary's",
    "St Aloysius",
    "Saint Francis of Assisi",
    "Holy Trinity",
    "St John's",
    "Our Lady of Lourdes",
    "St Stephen's",
]
PLACES = [
    "Acton",
    "Hanwell",
    "Southall",
    "Wembley",
    "Harlesden",
    "Fulham",
    "Shepherd's Bush",
    "Hayes",
    "Uxbridge",
    "Feltham",
    "Chiswick",
    "Ludlow",
    "Oswestry",
    "Telford",
    "Bilston",
    "Leominster",
    "Notting Hill",
    "Kensal",
    "Northolt",
    "Greenford",
]
KINDS = [
    "Primary School",
    "Infant School",
    "Junior School",
    "Academy",
    "High School",
    "CofE Primary School",
    "RC Primary School",
    "Church of England Aided Primary School",
    "Community College",
    "Nursery School",
    "School, Sixth Form and Nursery",
]


def pick(rng, weighted):
    return rng.choices(weighted, weights=[w[-1] for w in weighted])[0]


def row(rng, urn):
    la_code, la_name = rng.choice(LAS)
    phase = pick(rng, PHASES)
    status = pick(rng, STATUSES)
    typ = rng.choice(TYPES)
    name = f"{rng.choice(SAINTS + PLACES)} {rng.choice(KINDS)}"
    if rng.random() < 0.02:
        name = f"{rng.choice(PLACES)}, {rng.choice(PLACES)} and District {rng.choice(KINDS)}"
    opened = f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-{rng.randint(1950, 2024)}"
    values = dict.fromkeys(COLUMNS, "")
    values.update(
        {
            "URN": str(urn),
            "LA (code)": la_code,
            "LA (name)": la_name,
            "EstablishmentNumber": str(rng.randint(1000, 7999)),
            "EstablishmentName": name,
            "TypeOfEstablishment (code)": typ[0],
            "TypeOfEstablishment (name)": typ[1],
            "EstablishmentTypeGroup (code)": typ[2],
            "EstablishmentTypeGroup (name)": typ[3],
            "EstablishmentStatus (code)": status[0],
            "EstablishmentStatus (name)": status[1],
            "OpenDate": opened,
            "CloseDate": opened.replace(opened[-4:], "2023") if status[0] == "2" else "",
            "PhaseOfEducation (code)": phase[0],
            "PhaseOfEducation (name)": phase[1],
            "StatutoryLowAge": "4",
            "StatutoryHighAge": "11" if phase[1] == "Primary" else "16",
            "Town": rng.choice(PLACES),
            "Postcode": (
                f"W{rng.randint(1, 14)} {rng.randint(1, 9)}"
                f"{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}"
            ),
            "SchoolCapacity": str(rng.randint(60, 2000)),
            "NumberOfPupils": str(rng.randint(30, 1900)),
            "HeadFirstName": "Alex",
            "HeadLastName": "Example",
            "TelephoneNum": "2070000000",
            "LastChangedDate": "09-02-2024",
        }
    )
    return [values[c] for c in COLUMNS]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--rows", type=int, default=52000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with open(args.out, "w", encoding="cp1252", newline="") as f:
        w = csv.writer(f, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        w.writerow(COLUMNS)
        for i in range(args.rows):
            w.writerow(row(rng, 100000 + i))


if __name__ == "__main__":
    main()
