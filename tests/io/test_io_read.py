"""Reading: every column as text, every format, every encoding, provenance."""

import codecs
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import toexcli
from toexcli.io import TableInput, read_table
from toexcli.io.readers import cell_text


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def test_csv_keeps_identifiers_and_null_tokens(tmp_path):
    p = write(tmp_path / "a.csv", "name,phone,acct\nNA,07700900123,0012345678\nNone,null,\n")
    df = read_table(str(p))
    assert df["phone"].tolist() == ["07700900123", "null"]
    assert df["acct"].tolist() == ["0012345678", ""]
    assert df["name"].tolist() == ["NA", "None"]
    assert df["_source"].tolist() == [str(p)] * 2
    assert df["_row"].tolist() == [1, 2]
    assert str(df["phone"].dtype) == "str"


def test_top_level_api_is_lazy_and_same():
    assert toexcli.read_table is read_table


@pytest.mark.parametrize("delim", [",", "\t", ";", "|"])
def test_delimiter_sniffed(tmp_path, delim):
    sep = "" if delim == "," else ","
    p = write(tmp_path / "d.csv", f"a{delim}b\n1{sep}5{delim}x\n2{delim}y\n")
    df = read_table(str(p))
    assert list(df.columns[:2]) == ["a", "b"]
    assert df["b"].tolist() == ["x", "y"]


@pytest.mark.parametrize("encoding,bom", [("utf-8", b""), ("utf-8", codecs.BOM_UTF8),
                                          ("utf-16-le", codecs.BOM_UTF16_LE),
                                          ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_unicode_encodings(tmp_path, encoding, bom):
    text = "name,note\nNguyễn Văn An,Xin chào\nعلي,مرحبا\n"
    p = write(tmp_path / "u.csv", bom + text.encode(encoding))
    df = read_table(str(p))
    assert list(df.columns[:2]) == ["name", "note"]
    assert df["name"].tolist() == ["Nguyễn Văn An", "علي"]


def test_cp1252_pound_detected(tmp_path):
    p = write(tmp_path / "w.csv", b"Date,Amount\n01/02/2024,\xa312.00\n")
    t = TableInput(str(p))
    df = t.read()
    assert df["Amount"].tolist() == ["£12.00"]
    assert t.sources[0].details["encoding"] == "cp1252"


def test_cp1252_late_in_large_file(tmp_path):
    body = "".join(f"{i},x\n" for i in range(200_000)).encode() + b"9,\xa35\n"
    p = write(tmp_path / "late.csv", b"n,v\n" + body)
    df = read_table(str(p))
    assert df["v"].iloc[-1] == "£5" and len(df) == 200_001


def test_skip_preamble_and_trailing_comma_header(tmp_path):
    text = ('"Account Name:","Mr A Test"\n"Balance:","£1.00"\n\n'
            "Transaction Date,Type,Description,\n01/01/2024,DD,Gym\n02/01/2024,SO,Rent\n\n\n")
    p = write(tmp_path / "p.csv", text)
    df = read_table(str(p), skip=3)
    assert list(df.columns) == ["Transaction Date", "Type", "Description", "_source", "_row"]
    assert df["Description"].tolist() == ["Gym", "Rent"]


def test_ragged_rows_padded_and_quoted_newlines(tmp_path):
    p = write(tmp_path / "r.csv", 'a,b,c\n1,2\n"multi\nline",5,6,\n7,8,9\n')
    df = read_table(str(p))
    assert df["a"].tolist() == ["1", "multi\nline", "7"]
    assert df["c"].tolist() == ["", "6", "9"]
    assert df["_row"].tolist() == [1, 2, 3]


def test_no_header_mode(tmp_path):
    p = write(tmp_path / "h.csv", "01/01/2024,Coffee,-2.50\n02/01/2024,Pay,100.00\n")
    df = read_table(str(p), header=False)
    assert list(df.columns[:3]) == ["column_1", "column_2", "column_3"]
    assert len(df) == 2


def test_duplicate_and_blank_header_names(tmp_path):
    p = write(tmp_path / "dup.csv", "a,a,,b\n1,2,3,4\n")
    assert list(read_table(str(p)).columns[:4]) == ["a", "a_2", "column_3", "b"]


def test_plain_text_one_row_per_line(tmp_path):
    p = write(tmp_path / "chat.txt", "hello\n\nsend 07700 900123\n")
    df = read_table(str(p))
    assert df["text"].tolist() == ["hello", "", "send 07700 900123"]
    assert df["_row"].tolist() == [1, 2, 3]


def test_jsonl_numbers_keep_their_text(tmp_path):
    p = write(tmp_path / "j.jsonl", '{"a": 7700900123, "b": 1.50, "c": null}\n{"a": "x", "d": [1]}\n')
    df = read_table(str(p))
    assert df["a"].tolist() == ["7700900123", "x"]
    assert df["b"].tolist()[0] == "1.50"
    assert df["d"].tolist()[1] == "[1]"


def test_excel_numbers_as_displayed_dates_iso(tmp_path):
    import datetime

    import xlsxwriter

    p = tmp_path / "b.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("First")
    ws.write_row(0, 0, ["phone", "amount", "when", "text"])
    ws.write_number(1, 0, 7700900123)
    ws.write_number(1, 1, 12.5)
    ws.write_datetime(1, 2, datetime.datetime(2024, 1, 5), wb.add_format({"num_format": "dd/mm/yyyy"}))
    ws.write_string(1, 3, "07700900123")
    ws2 = wb.add_worksheet("Second")
    ws2.write_row(0, 0, ["x"])
    ws2.write_row(1, 0, ["y"])
    wb.close()
    df = read_table(str(p))
    assert df.loc[0, "phone"] == "7700900123"
    assert df.loc[0, "amount"] == "12.5"
    assert df.loc[0, "when"] == "2024-01-05"
    assert df.loc[0, "text"] == "07700900123"
    assert read_table(str(p), sheet="Second")["x"].tolist() == ["y"]
    assert read_table(str(p), sheet="2")["x"].tolist() == ["y"]


@pytest.mark.parametrize("value,text", [(7700900123.0, "7700900123"), (1e21, "1000000000000000000000"),
                                        (0.1, "0.1"), (1.5e-7, "0.00000015"),
                                        (12345678901234567890.0, "12345678901234567000"), (None, ""), (True, "TRUE")])
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_html_disguised_as_xls(tmp_path):
    p = write(tmp_path / "export.xls", "<html><body><table><tr><th>Phone</th><th>Name</th></tr>"
                                       "<tr><td>07700900123</td><td>A &amp; B</td></tr></table></body></html>")
    df = read_table(str(p))
    assert df["Phone"].tolist() == ["07700900123"] and df["Name"].tolist() == ["A & B"]


def test_csv_disguised_as_xls(tmp_path):
    p = write(tmp_path / "export.xls", "Phone\tName\n07700900123\tA\n")
    assert read_table(str(p))["Phone"].tolist() == ["07700900123"]


def test_parquet_types_and_existing_provenance_kept(tmp_path):
    p = tmp_path / "t.parquet"
    pq.write_table(pa.table({"n": pa.array([1, 2], pa.int32()), "_source": ["x.csv", "x.csv"],
                             "_row": pa.array([7, 9], pa.int64())}), p)
    df = read_table(str(p))
    assert df["_source"].tolist() == ["x.csv", "x.csv"] and df["_row"].tolist() == [7, 9]
    assert str(df["n"].dtype) == "int32"


def test_several_inputs_aligned_by_name(tmp_path):
    a = write(tmp_path / "a.csv", "x,y\n1,2\n")
    b = write(tmp_path / "b.csv", "y,z\n3,4\n")
    df = read_table([str(a), str(b)])
    assert list(df.columns) == ["x", "y", "z", "_source", "_row"]
    assert df["y"].tolist() == ["2", "3"]
    assert df["_source"].tolist() == [str(a), str(b)]
    assert df["x"].isna().tolist() == [False, True]


def test_stdin_sniffed_without_extension(tmp_path):
    data = b"a,b\n01,02\n"
    t = TableInput(["-"], stdin=io.BytesIO(data))
    assert t.read()["a"].tolist() == ["01"]
    assert t.sources[0].sha256 is not None


def test_stdin_arrow_stream_is_streamed(tmp_path):
    buf = io.BytesIO()
    table = pa.table({"a": ["07700"]})
    with pa.ipc.new_stream(buf, table.schema) as w:
        w.write_table(table)
    t = TableInput(["-"], stdin=io.BytesIO(buf.getvalue()))
    assert t.sources[0].path is None and t.sources[0].format == "arrow"
    assert t.read()["a"].tolist() == ["07700"]


def test_require_checks_every_input(tmp_path):
    from toexcli.errors import UsageError

    a = write(tmp_path / "a.csv", "text\nhello\n")
    b = write(tmp_path / "b.csv", "Text\nhi\n")
    t = TableInput([str(a), str(b)])
    with pytest.raises(UsageError, match=r"b\.csv: no column 'text' \(did you mean 'Text'\?\)"):
        t.require(["text"])
    TableInput([str(a)]).require(["text"])


def test_integer_column_with_gaps_is_not_made_float(tmp_path):
    p = tmp_path / "ints.parquet"
    pq.write_table(pa.table({"acct": pa.array([55779911, None], pa.int64())}), p)
    df = read_table(str(p))
    assert [str(v) for v in df["acct"].tolist()][:1] == ["55779911"]
    frames = list(TableInput(str(p)).frames())
    assert str(frames[0]["acct"].dtype) == "Int64"
