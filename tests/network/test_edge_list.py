"""The CSV edge-list reader: the format it accepts and the errors it names."""

from __future__ import annotations

import pytest

from renkei.network.edgelist import EdgeListError, parse_edge_list, read_edge_list


def parse(text: str):
    return parse_edge_list(text.encode("utf-8"), name="ties.csv")


def test_it_reads_ties_with_default_weights_and_any_column_order():
    network = parse("type, Target ,source,weight,note\nvisit,b,a,,first\ncall,c,a,2.5,\n\n")

    assert network.ids == ["a", "b", "c"]
    assert network.weight.tolist() == [1.0, 2.5]
    assert [network.types[code] for code in network.type_code] == ["visit", "call"]


def test_it_accepts_a_byte_order_mark_and_japanese_ids():
    network = parse_edge_list("\ufeffsource,target,weight,type\n東北大学,株式会社アルファ,1,\n".encode())

    assert network.ids == ["東北大学", "株式会社アルファ"]
    assert network.types == ["unspecified"]


def test_a_header_only_file_is_an_empty_network():
    network = parse("source,target,weight,type\n")
    assert network.node_count == 0
    assert network.tie_count == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "ties.csv line 1: the file is empty"),
        ("source,target,type\na,b,x\n", "ties.csv line 1: the header lacks the column weight"),
        ("from,to\na,b\n", "the header lacks the columns source, target, weight, type"),
        ("source,target,weight,type,source\n", "line 1: the column source appears twice"),
        ("source,target,weight,type\na,b,1,x\nc,d,heavy,x\n", "ties.csv line 3: the weight 'heavy' is not a number"),
        ("source,target,weight,type\na,b,1,x\na,c,-2,x\n", "ties.csv line 3: the weight '-2' is negative"),
        ("source,target,weight,type\na,b,nan,x\n", "ties.csv line 2: the weight 'nan' is not a finite number"),
        ("source,target,weight,type\na,b,1,x\n , c,1,x\n", "ties.csv line 3: the source id is empty"),
        ("source,target,weight,type\na,,1,x\n", "ties.csv line 2: the target id is empty"),
        ("source,target,weight,type\na,b,1\n", "ties.csv line 2: expected 4 fields as in the header, found 3"),
    ],
)
def test_bad_input_is_refused_naming_the_line(text, message):
    with pytest.raises(EdgeListError, match=message.replace("(", r"\(")):
        parse(text)


def test_a_file_that_is_not_utf8_is_refused_naming_the_line():
    data = "source,target,weight,type\na,b,1,x\n東京,c,1,x\n".encode("shift_jis")
    with pytest.raises(EdgeListError, match=r"ties.csv line 3: the file is not UTF-8 text .*save it as UTF-8"):
        parse_edge_list(data, name="ties.csv")


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(EdgeListError, match="cannot read the file"):
        read_edge_list(tmp_path / "nowhere.csv")
