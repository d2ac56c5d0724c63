from conftest import run_cli, run_toex


def test_version_and_help():
    r = run_toex(["--version"])
    assert r.returncode == 0 and r.stdout.startswith(b"toex ")
    r = run_cli(["convert", "--help"])
    assert r.exit_code == 0 and "Examples" in r.stdout
