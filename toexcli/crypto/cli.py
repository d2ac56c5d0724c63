"""``toex crypto``: check, find and (only when asked) look up crypto-wallet addresses.

Thin wrappers around ``toexcli.crypto``; nothing heavy is imported at module level.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import cliutil

app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode="rich",
    help="Crypto-wallet addresses: identify the chain, verify checksums offline, find them in "
         "text; look them up on a block explorer only when asked.",
    epilog="""[bold]Examples[/bold]

  toex crypto check examples/crypto_wallets.csv -c wallet --recover-case

  toex crypto find examples/crypto_chats.csv -c text -k sender

  toex crypto lookup checked.csv -c wallet_normalised   [dim]# asks for --online[/dim]
""",
)

CHECK_EXAMPLE = """[bold]Examples[/bold]

  toex crypto check wallets.csv -c address -o checked.csv

  toex crypto check notes.xlsx -c wallet --recover-case

  cat wallets.csv | toex crypto check - -c address | toex inspect -

[bold]Columns added after each COL[/bold] (COL is never changed)

  COL_chain       bitcoin bitcoin_testnet litecoin dogecoin dash zcash
                  bitcoin_cash ethereum (any EVM) tron ripple monero
                  solana cardano ens
  COL_type        p2pkh p2sh p2wpkh p2wsh p2tr cashaddr_p2pkh evm ...
  COL_valid       checksum (or, where none exists, format) holds
  COL_normalised  bech32 lower-case, EIP-55 for EVM, cashaddr prefixed
  COL_status      ok | ok: no checksum | ok: case recovered |
                  bad checksum | bad length | bad character |
                  mixed case | bad padding | bad flag | wrong network |
                  key material | not an address | ens name | empty
  COL_confidence  0-1: how sure it is an address of COL_chain
  COL_note        ambiguity and caveats
"""

FIND_EXAMPLE = """[bold]Examples[/bold]

  toex crypto find messages.csv -c text -o wallets_found.csv

  toex crypto find chats.csv -c body -k sender --include-invalid

One row per address: _source, _row, column, start, end (offsets in
the cell, end exclusive), address (as written), chain, type, valid,
normalised, status, confidence, note. Checksum-valid addresses (and
ENS names) only, unless --include-invalid: then near-misses (typos
are evidence too) and key material (WIF keys, xpubs) as well.
Transaction hashes, digests, PGP fingerprints, phone numbers and
prose are never reported.
"""


@app.command("check", epilog=CHECK_EXAMPLE)
def check_command(
    inputs: cliutil.Inputs = None,
    column: cliutil.Columns = ...,
    recover_case: Annotated[bool, typer.Option(
        "--recover-case", help="Restore the letter case of lower/upper-cased base58 addresses "
                               "by checksum search (marked 'ok: case recovered').")] = False,
    recover_bits: Annotated[int, typer.Option(
        "--recover-bits", min=8, max=30,
        help="Search budget for --recover-case: up to 2^N combinations per value "
             "(22 is ~5 s; a typical lower-cased address needs 20-24).")] = 22,
    output: cliutil.Output = None,
    to: cliutil.To = None,
    force: cliutil.Force = False,
    excel_safe: cliutil.ExcelSafe = False,
    sheet: cliutil.Sheet = None,
    skip: cliutil.Skip = 0,
    encoding: cliutil.Encoding = None,
    delimiter: cliutil.Delimiter = None,
    input_format: cliutil.InputFormat = None,
    no_provenance: cliutil.NoProvenance = False,
):
    """Identify and validate the crypto address in each cell of COL, offline.

    Exact rules: base58check version bytes, bech32 (BIP173) for witness v0 and bech32m (BIP350)
    for v1+, EIP-55 with keccak-256, TRON 0x41, XRP's alphabet, Monero's block base58 with
    keccak, CashAddr's polymod, Cardano header/prefix agreement. Each distinct value is checked
    once; rows are never dropped or reordered.
    """
    from . import frame

    table = cliutil.open_input(inputs, sheet=sheet, skip=skip, encoding=encoding,
                               delimiter=delimiter, input_format=input_format,
                               no_provenance=no_provenance)
    source = ", ".join(s.name for s in table.sources) if table.sources else "input"
    column = list(dict.fromkeys(column))  # the same -c twice is checked once
    table.require(column)

    def fn(batch):
        for col in column:
            batch = frame.check(batch, col, recover_case=recover_case, source=source,
                                recover_budget=1 << recover_bits)
        return batch

    cliutil.stream(table, fn, output=output, to=to, force=force, excel_safe=excel_safe,
                   label="checking addresses")


@app.command("find", epilog=FIND_EXAMPLE)
def find_command(
    inputs: cliutil.Inputs = None,
    column: cliutil.Columns = ...,
    include_invalid: Annotated[bool, typer.Option(
        "--include-invalid", help="Also report near-misses (failing checksums) and key material.")] = False,
    keep: Annotated[Optional[list[str]], typer.Option(
        "-k", "--keep", help="Carry this input column into the output (repeat for several).",
        show_default=False)] = None,
    output: cliutil.Output = None,
    to: cliutil.To = None,
    force: cliutil.Force = False,
    excel_safe: cliutil.ExcelSafe = False,
    sheet: cliutil.Sheet = None,
    skip: cliutil.Skip = 0,
    encoding: cliutil.Encoding = None,
    delimiter: cliutil.Delimiter = None,
    input_format: cliutil.InputFormat = None,
):
    """Find every crypto address in free text: one row per address found."""
    from . import frame
    from .scan import Finder

    table = cliutil.open_input(inputs, sheet=sheet, skip=skip, encoding=encoding,
                               delimiter=delimiter, input_format=input_format,
                               batch_rows=1 << 17)
    source = ", ".join(s.name for s in table.sources) if table.sources else "input"
    table.require(list(column) + list(keep or []))
    finder = Finder(include_invalid)

    def fn(batch):
        return frame.find(batch, column, include_invalid=include_invalid, keep=keep or (),
                          source=source, finder=finder)

    cliutil.stream(table, fn, output=output, to=to, force=force, excel_safe=excel_safe,
                   label="finding addresses")


LOOKUP_EXAMPLE = """[bold]Examples[/bold]

  toex crypto lookup wallets.csv -c address      [dim]# refuses, says what/where[/dim]

  toex crypto lookup wallets.csv -c address --online -o looked_up.csv

  toex crypto lookup w.csv -c address --url http://10.0.0.5:3000/api

  ETHERSCAN_API_KEY=... toex crypto lookup eth.csv -c wallet --online

[bold]Where addresses go[/bold] by chain: bitcoin -> esplora
(blockstream.info); litecoin dogecoin dash zcash bitcoin_cash ->
blockchair; ethereum -> etherscan (needs ETHERSCAN_API_KEY); tron ->
tronscan. Keys (never printed): BLOCKCHAIR_API_KEY, ETHERSCAN_API_KEY,
BLOCKCYPHER_TOKEN, TRONSCAN_API_KEY. Self-hosted Esplora: --url or
TOEX_ESPLORA_URL. Cache: ~/.cache/toex/crypto-lookup (0700), or
TOEX_CACHE_DIR.
"""


@app.command("lookup", epilog=LOOKUP_EXAMPLE)
def lookup_command(
    inputs: cliutil.Inputs = None,
    column: Annotated[list[str], typer.Option(
        "-c", "--column", metavar="COL", help="Column holding the addresses.")] = ...,
    online: Annotated[bool, typer.Option(
        "--online", help="Allow sending the addresses to a public block explorer.")] = False,
    provider: Annotated[Optional[str], typer.Option(
        "--provider", help="esplora, mempool, blockchair, etherscan, blockcypher or tronscan "
                           "(default: by chain).", show_default=False)] = None,
    url: Annotated[Optional[str], typer.Option(
        "--url", help="Base URL of a self-hosted explorer (Esplora API unless --provider says "
                      "otherwise); env TOEX_ESPLORA_URL.", show_default=False)] = None,
    cache_dir: Annotated[Optional[str], typer.Option(
        "--cache-dir", help="Cache directory (default ~/.cache/toex/crypto-lookup).",
        show_default=False)] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")] = False,
    max_age: Annotated[Optional[float], typer.Option(
        "--max-age", help="Re-fetch cached results older than this many hours.", show_default=False)] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for each reply.")] = 15.0,
    retries: Annotated[int, typer.Option("--retries", help="Retries after a 429, 5xx or timeout.")] = 3,
    output: cliutil.Output = None,
    to: cliutil.To = None,
    force: cliutil.Force = False,
    excel_safe: cliutil.ExcelSafe = False,
    sheet: cliutil.Sheet = None,
    skip: cliutil.Skip = 0,
    encoding: cliutil.Encoding = None,
    delimiter: cliutil.Delimiter = None,
    input_format: cliutil.InputFormat = None,
    no_provenance: cliutil.NoProvenance = False,
):
    """Look addresses up on a block explorer, only when allowed (--online or a self-hosted --url).

    For each distinct valid address: balance, total received/sent, transaction count, first and
    last seen, with lookup_status, lookup_time and lookup_source (provenance).

    Offline by default: without --online (or a self-hosted --url) nothing is sent and the command
    stops (exit 2) saying which addresses would go where. A failed address is marked in
    COL_lookup_status; the others still get their results.
    """
    from .. import console
    from ..errors import UsageError
    from ..io.writers import check_output_path, output_format
    from .explorer import Client, lookup

    if len(column) > 1:  # typer would silently keep only the last
        raise UsageError(f"-c was given {len(column)} times ({', '.join(column)}); lookup works on "
                         "one column at a time: run it once per column")
    column = column[0]
    table = cliutil.open_input(inputs, sheet=sheet, skip=skip, encoding=encoding,
                               delimiter=delimiter, input_format=input_format,
                               no_provenance=no_provenance)
    output_format(output, to)  # refuse an unwritable -o before any address is sent
    check_output_path(output, force, table.sources)
    source = ", ".join(s.name for s in table.sources) if table.sources else "input"
    df = table.read()
    client = Client(timeout=timeout, retries=max(0, retries))
    result = lookup(df, column, online=online, provider=provider, url=url, cache=cache_dir,
                    use_cache=not no_cache, max_age=max_age * 3600 if max_age is not None else None,
                    client=client, source=source, log=console.info)
    cliutil.write_frame(result, output=output, to=to, force=force, excel_safe=excel_safe, table=table)
