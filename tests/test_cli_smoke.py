from conftest import run_cli, run_toex


def test_version_and_help():
    r = run_toex(["--version"])
    assert r.returncode == 0 and r.stdout.startswith(b"toex ")
    r = run_cli(["convert", "--help"])
    assert r.exit_code == 0 and "Examples" in r.stdout


def test_startup_imports_no_heavy_modules():
    """`toex --help` must start fast: importing the CLI (and so every toexcli/<domain>/__init__.py
    and cli.py) must not import pandas, pyarrow or numpy. Make a package __init__ lazy with a
    module-level __getattr__ (see toexcli/__init__.py) and import heavy modules inside functions."""
    import subprocess
    import sys

    code = ("import sys, toexcli.cli\n"
            "heavy = [m for m in ('pandas', 'pyarrow', 'numpy') if m in sys.modules]\n"
            "culprits = sorted(m for m in sys.modules if m.startswith('toexcli'))\n"
            "print(heavy, culprits)")
    r = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True,
                       text=True, timeout=60)
    heavy = r.stdout.split("]")[0] + "]"
    first_heavy_importer = ""
    for line in r.stderr.splitlines():
        if "toexcli" in line:
            first_heavy_importer = line.rsplit("|", 1)[-1].strip()
        if any(f" {m}" in line.rsplit("|", 1)[-1] for m in ("pandas", "pyarrow", "numpy")):
            break
    assert heavy == "[]", f"heavy modules imported at startup (last toexcli module before: {first_heavy_importer}): {r.stdout}"


def test_column_missing_from_one_of_several_inputs_is_refused(tmp_path):
    """A file without the column must not pass silently because another file has it."""
    a = tmp_path / "a.csv"
    b = tmp_path / "b.csv"
    a.write_text("text,phone\ncall 07700 900123,07700900123\n")
    b.write_text("message,number\ncall 07700 900124,07700900124\n")
    for args in (["phones", "normalise", a, b, "-c", "phone"],
                 ["extract", a, b, "-c", "text"],
                 ["crypto", "find", a, b, "-c", "text"],
                 ["vehicles", "normalise", a, b, "-c", "text"],
                 ["translate", "detect", a, b, "-c", "text"]):
        r = run_cli(args)
        assert r.exit_code == 2 and "b.csv: no column" in r.stderr, (args, r.stderr)
