"""Optional probabilistic name linkage with Splink (``pip install 'toexcli[splink]'``).

Only the name (+ date of birth) links change: identifiers still link deterministically with the
junk guard, and judgements are still applied last. Splink scores each candidate pair of distinct
normalised names that share the blocking key (the date of birth, or the name's initials) with a
Fellegi-Sunter model whose weights it estimates from the data itself (u by random sampling, m by
expectation maximisation), and links pairs whose match probability reaches the threshold.
Runs locally on DuckDB (``backend="duckdb"``, the default; nothing leaves the machine) or on
Apache Spark (``backend="spark"``): a local Spark (``local[*]``, needs Java and ``pyspark``) or
the cluster named by ``spark_master`` (``spark://host:7077``, ``yarn``), for name tables larger
than one machine. The Spark run registers Splink's string-similarity UDF jar (shipped inside the
splink wheel) and binds the driver to 127.0.0.1 unless a master is given.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from ..errors import DataError, UsageError


def available() -> bool:
    try:
        import splink  # noqa: F401
        import duckdb  # noqa: F401
    except ImportError:
        return False
    return True


BACKENDS = ("duckdb", "spark")


def spark_available() -> bool:
    """pyspark importable and a ``java`` on PATH (or JAVA_HOME): what a local Spark needs."""
    import os
    import shutil

    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return bool(shutil.which("java") or os.environ.get("JAVA_HOME"))


def spark_session(master: str | None = None):
    """A Spark session for Splink: ``local[*]`` on this machine unless ``master`` names a
    cluster; Splink's similarity UDF jar added; no web UI; quiet logs."""
    import os

    if not spark_available():
        raise UsageError("--backend spark needs pyspark and Java: pip install pyspark, and a JRE "
                         "(Debian: apt-get install default-jre-headless)")
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    local = master is None or master.startswith("local")
    if local:  # never bind a local run to the machine's other interfaces
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (SparkSession.builder.master(master or "local[*]").appName("toex merge resolve")
               .config("spark.jars", similarity_jar_location())
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "8"))
    if local:
        builder = (builder.config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1"))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    import tempfile

    spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="toex-spark-"))
    return spark


def _db_api(backend: str, spark_master: str | None):
    if backend == "duckdb":
        from splink import DuckDBAPI

        return DuckDBAPI(), None
    if backend == "spark":
        from splink.backends.spark import SparkAPI

        spark = spark_session(spark_master)
        return SparkAPI(spark_session=spark), spark
    raise UsageError(f"--backend {backend}: use duckdb or spark")


def name_links(reps: pd.DataFrame, with_dob: bool, threshold: float, seed: int = 1,
               backend: str = "duckdb", spark_master: str | None = None):
    """Scored links between representative rows.

    ``reps``: columns ``row`` (int), ``name`` (normalised name), ``block`` (ISO date of birth, or
    the name's initials when ``with_dob`` is false). Returns arrays (row_a, row_b, score 0-100).
    """
    if not available():
        raise UsageError("--engine splink needs Splink: pip install 'toexcli[splink]' "
                         "(or pip install splink)")
    from splink import Linker, SettingsCreator, block_on
    import splink.comparison_library as cl

    for name in ("splink", "duckdb", "py4j", "pyspark"):
        logging.getLogger(name).setLevel(logging.ERROR)
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64))
    if len(reps) < 3:
        return empty
    data = pd.DataFrame({
        "unique_id": reps["row"].to_numpy(dtype=np.int64),
        "name": reps["name"].astype(object).to_numpy(),
        "block": reps["block"].astype(object).to_numpy(),
    })
    comparisons = [cl.NameComparison("name")]
    if with_dob:  # always equal inside a block, but its weight is what lifts a pair over the prior
        data["dob"] = data["block"]
        comparisons.append(cl.DateOfBirthComparison("dob", input_is_string=True))
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[block_on("block")],
        retain_intermediate_calculation_columns=False,
    )
    db, spark = _db_api(backend, spark_master)
    try:
        table = spark.createDataFrame(data) if spark is not None else data
        linker = Linker(db.register(table), settings, log_level=logging.ERROR)
        linker.training.estimate_probability_two_random_records_match(
            [block_on("name", "block")], recall=0.7)
        linker.training.estimate_u_using_random_sampling(max_pairs=max(1e6, 10.0 * len(data)), seed=seed)
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("block"))
        if with_dob:
            linker.training.estimate_parameters_using_expectation_maximisation(block_on("name"))
        pred = linker.inference.predict(threshold_match_probability=threshold / 100.0)
        out = pred.as_pandas_dataframe()
    except Exception as exc:  # Splink raises many kinds; the analyst needs one line
        raise DataError(f"--engine splink ({backend}) could not train or score the name model ({type(exc).__name__}: "
                        f"{str(exc).splitlines()[0] if str(exc) else ''}); too few records? use the native engine")
    if not len(out):
        return empty
    out = out.sort_values(["unique_id_l", "unique_id_r"])
    return (out["unique_id_l"].to_numpy(dtype=np.int64), out["unique_id_r"].to_numpy(dtype=np.int64),
            (out["match_probability"].to_numpy(dtype=np.float64) * 100.0))
