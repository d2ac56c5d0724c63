"""resolve --engine splink --backend spark: Splink's name model on a local Spark (the route to a
cluster), checked against the same fictional ground truth as the DuckDB backend.

Runs when pyspark and Java are installed (.ci/run installs both); otherwise it skips and says why.
"""

import numpy as np
import pytest

from conftest import run_toex
from toexcli.merge import splink_engine
from toexcli.merge.resolution import resolve
from toexcli.merge.stacking import stack
from toexcli.merge.synthetic import evidence_bound, ground_truth, pairwise_scores

pytest.importorskip("splink", reason="splink is not installed (pip install 'toexcli[splink]')")
if not splink_engine.spark_available():
    pytest.skip("pyspark or Java missing (pip install pyspark; apt-get install default-jre-headless)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def small_truth():
    sources, truth = ground_truth(n_people=150, seed=5)
    frames = []
    for name, df in sources.items():
        df = df.copy()
        df["_source"] = name
        df["_row"] = np.arange(1, len(df) + 1)
        frames.append(df)
    return stack(frames, rename={"Date Of Birth": "DOB"}), truth


def test_spark_backend_matches_the_duckdb_backend(small_truth):
    df, truth = small_truth
    ids = ["phone:phone", "email:email", "account:account"]
    spark = resolve(df, ids, name="Name", dob="DOB", engine="splink", threshold=90,
                    backend="spark")
    duck = resolve(df, ids, name="Name", dob="DOB", engine="splink", threshold=90)
    m = spark.table[["_source", "_row", "entity_id"]].merge(truth, on=["_source", "_row"])
    scores = pairwise_scores(m["entity_id"], m["person"])
    bound = evidence_bound(truth)["recall_bound"]
    print(f"\nsplink on spark: precision {scores['precision']:.4f}, recall {scores['recall']:.4f}, "
          f"bound {bound:.4f}; entities spark {spark.table.entity_id.nunique()}, "
          f"duckdb {duck.table.entity_id.nunique()}")
    assert scores["precision"] >= 0.98
    assert scores["recall"] >= 0.9 * bound
    # the same model on another engine: entity counts agree within a few names
    assert abs(spark.table.entity_id.nunique() - duck.table.entity_id.nunique()) <= 3


def test_cli_backend_options_are_checked(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("name,phone\nAnn Lee,07700900001\n")
    run = run_toex(["merge", "resolve", f, "--id", "phone:phone", "--backend", "spark"])
    assert run.returncode == 2 and b"--engine splink" in run.stderr
    run = run_toex(["merge", "resolve", f, "--id", "phone:phone", "--engine", "splink",
                    "--backend", "hadoop"])
    assert run.returncode == 2 and b"--backend hadoop" in run.stderr
