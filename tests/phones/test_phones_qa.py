"""QA findings on toex phones, found by using the CLI as an analyst would; each stays as a
regression test."""

from conftest import run_cli


def test_group_help_shows_a_worked_example():
    # Every command's --help shows a worked example, the group's too (`toex phones --help`).
    r = run_cli(["phones", "--help"])
    assert r.exit_code == 0 and "Examples" in r.stdout and "toex phones normalise" in r.stdout


def test_extract_summary_in_the_command_list_is_one_sentence():
    # The command list shows the first paragraph of the docstring: it must be one unwrapped
    # sentence, not a hard-wrapped fragment ("... with _source, _row,").
    import typer

    from toexcli.cli import app

    cmd = typer.main.get_command(app).commands["phones"].commands["extract"]
    first = cmd.help.strip().split("\n\n")[0]
    assert "\n" not in first and first.endswith(".")


def test_extract_keep_column_named_like_an_output_column_is_refused(tmp_path):
    # `-k status` used to be silently overwritten by the extraction's own status column:
    # the analyst's value ('open') vanished. toex never overwrites a column: refuse clearly.
    (tmp_path / "st.csv").write_text("status,text\nopen,ring 07700 900123\n", encoding="utf-8")
    r = run_cli(["phones", "extract", str(tmp_path / "st.csv"), "-c", "text", "-k", "status"])
    assert r.exit_code == 2 and "status" in r.stderr, r.stderr
    assert r.stdout == ""


def test_library_normalise_takes_a_series_alone():
    # Issue 3: toexcli.phones.normalise(series_or_df, ...): a Series needs no column argument.
    import pandas as pd
    import pytest

    from toexcli.errors import UsageError
    from toexcli.phones import normalise

    s = pd.Series(["07700 900123", "Withheld"], name="Callee", dtype="str")
    out = normalise(s)
    assert out.columns[:4].tolist() == ["Callee", "Callee_e164", "Callee_valid", "Callee_status"]
    assert out["Callee_e164"].tolist()[0] == "+447700900123"
    assert out["Callee_status"].tolist() == ["possible", "withheld"]
    with pytest.raises(UsageError, match="column"):
        normalise(pd.DataFrame({"Callee": s}))


def test_lookup_key_gives_the_same_e164_as_the_value():
    import pandas as pd

    from toexcli.phones import lookup_key, normalise_values

    raw = pd.Series(["07700 900123", "07700-900123", "(0161) 496 0000", "+44 7700 900150",
                     "7700900123.0", "Mob: 07700 900123", "07700 900123 / 07700 900124",
                     "999", "0161.496.0001", "447700900150", ""], dtype="str")
    keys = lookup_key(raw)
    assert keys.tolist()[:3] == ["07700900123", "07700900123", "01614960000"]
    assert keys.tolist()[4:8] == ["7700900123.0", "Mob: 07700 900123", "07700 900123 / 07700 900124", "999"]
    assert normalise_values(keys)["e164"].tolist() == normalise_values(raw)["e164"].tolist()


def test_lookup_key_uk_spellings_share_one_key_and_the_same_e164():
    """The UK spellings of one number are keyed as its national form (one parse a number), and
    the key's e164 equals the value's for every spelling, on thousands of numbers of every UK
    number shape plus near-misses that must not be folded."""
    import numpy as np
    import pandas as pd

    from toexcli.phones import lookup_key, normalise_values

    rng = np.random.default_rng(3)
    prefixes = ["7700900", "7911", "20 7946 0", "161 496 0", "113 496 0", "800", "845", "1632 96",
                "3069 99", "28 9018 ", "1234", "5", "9"]
    raw = []
    for p in prefixes:
        for _ in range(40):
            digits = (p.replace(" ", "") + "".join(map(str, rng.integers(0, 10, 12))))[:10]
            raw += ["0" + digits, "+44" + digits, "+44 " + digits, "0044" + digits, "44" + digits,
                    digits, "(0" + digits[:3] + ") " + digits[3:], "0" + digits[:-1],
                    "44" + digits[:-1], "+44" + "0" + digits]
    raw += ["4412345678", "440207946034", "0447700900123", "1234567890.0", "", "Withheld"]
    raw = pd.Series(raw, dtype="str")
    keys = lookup_key(raw)
    assert keys.iloc[1] == keys.iloc[0] == keys.iloc[4] == keys.iloc[5]
    assert keys.nunique() < raw.nunique() / 2
    got, want = normalise_values(keys)["e164"], normalise_values(raw)["e164"]
    bad = [(r, k, g, w) for r, k, g, w in zip(raw, keys, got, want) if str(g) != str(w)]
    assert not bad, bad[:5]
    # another default region: no UK folding
    assert lookup_key(pd.Series(["447700900123"]), region="US").tolist() == ["447700900123"]
