#!/usr/bin/env python3
"""Writes Wyvern's bundled dragon dataset (static/data/dragons.{json,jsonl,csv}).

Deterministic: the same file every run. The fields are the course's record fields plus a few
numbers and a timestamp so that CAST, aggregates and date functions have something to work on.
One description holds markup on purpose: the app must show it as text.
"""
import csv
import io
import json
import pathlib
import random

NAMES = """Atlas Blaze Cinder Drogo Ember Fafnir Glaurung Hydra Ignis Jormun Kaida Ladon Malefic Nidhogg
Onyx Pyra Quetzal Ragnar Smaug Tiamat Umbra Vermax Wyrm Xyra Ymir Zephyr Ashwing Brimstone Coral
Dune Emberlyn Frost Gale Hollow Inferno Jade Kestrel Lumen Mist Nova Obsidian Pepper Quill Rune
Saffron Talon Ursa Vesper Willow Xanth Yara Zinnia Aurora Basalt Cobalt Dusk Echo Flint Garnet Hearth
Ivory Juniper""".split()

FAMILIES = ["red", "blue", "black", "green", "gold", "silver", "white"]
PLACES = [
    ("anchorage", "usa", "alaska", ["w fireweed ln", "spenard", "downtown"]),
    ("seattle", "usa", "washington", ["capitol hill", "ballard", "fremont"]),
    ("austin", "usa", "texas", ["east cesar chavez", "hyde park", "zilker"]),
    ("vancouver", "canada", "british columbia", ["kitsilano", "gastown", "yaletown"]),
    ("cardiff", "uk", "wales", ["cathays", "roath", "canton"]),
    ("reykjavik", "iceland", "capital region", ["vesturbaer", "hlidar", "laugardalur"]),
    ("kyoto", "japan", "kyoto", ["gion", "arashiyama", "higashiyama"]),
    ("hobart", "australia", "tasmania", ["battery point", "sandy bay", "north hobart"]),
]
TRAITS = ["breathes fire", "hoards books", "sleeps under bridges", "guards a lighthouse",
          "collects teaspoons", "sings at dawn", "hates rain", "befriends hikers",
          "chases storms", "naps in volcanoes", "counts stars", "reads maps upside down"]


def dragons():
    rnd = random.Random(1962)
    out = []
    for i, name in enumerate(NAMES):
        city, country, state, hoods = PLACES[i % len(PLACES)]
        family = FAMILIES[(i * 3) % len(FAMILIES)]
        trait = TRAITS[rnd.randrange(len(TRAITS))]
        desc = f"A {family} dragon that {trait}."
        if name == "Malefic":
            desc = "Leaves notes like <img src=x onerror=alert(1)> on doors."
        if name == "Quill":
            desc = 'Writes "poems", mostly about clouds, on walls.'
        day = 1 + rnd.randrange(28)
        month = 1 + rnd.randrange(12)
        year = 2015 + rnd.randrange(10)
        record = {
            "dragon_name_str": name,
            "family_str": family,
            "description_str": desc,
            "location_city_str": city,
            "location_country_str": country,
            "location_state_str": state,
            "location_neighborhood_str": hoods[rnd.randrange(len(hoods))],
            "wingspan_ft": rnd.randrange(12, 140),
            "age_years": rnd.randrange(3, 900),
            "weight_tons": round(rnd.uniform(0.4, 30.0), 2),
            "last_seen": f"{year:04d}-{month:02d}-{day:02d}T{rnd.randrange(24):02d}:{rnd.randrange(60):02d}:00Z",
        }
        # Some dragons have a nickname, some an explicit null, the rest none at all: MISSING vs NULL.
        if i % 4 == 1:
            record["nickname"] = f"{name} the {['Bold', 'Wise', 'Swift', 'Quiet'][i // 4 % 4]}"
        elif i % 4 == 2:
            record["nickname"] = None
        out.append(record)
    return out


def main():
    root = pathlib.Path(__file__).resolve().parent.parent / "static" / "data"
    root.mkdir(parents=True, exist_ok=True)
    rows = dragons()
    (root / "dragons.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    (root / "dragons.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    buf = io.StringIO()
    fields = list(rows[0].keys()) + ["nickname"]
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n", restval="")
    w.writeheader()
    w.writerows(rows)
    (root / "dragons.csv").write_text(buf.getvalue())
    print(f"wrote {len(rows)} dragons to {root}")


if __name__ == "__main__":
    main()
