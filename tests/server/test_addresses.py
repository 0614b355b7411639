"""What `make run` prints: the addresses tablets open (IPv6 in brackets), and that 127.0.0.1 is for the laptop only."""

from __future__ import annotations

from app.server import print_addresses


def test_the_printed_addresses_bracket_ipv6_and_say_127_0_0_1_is_only_for_the_laptop():
    lines: list[str] = []
    print_addresses(5001, ["192.168.43.10", "fd00::5"], echo=lines.append)
    text = "\n".join(lines)
    assert "    http://192.168.43.10:5001/" in lines
    assert "    http://[fd00::5]:5001/" in lines
    assert "http://127.0.0.1:5001/ (that address works only here, not on a tablet)" in text


def test_with_no_network_the_printout_says_tablets_cannot_reach_it():
    lines: list[str] = []
    print_addresses(5000, [], echo=lines.append)
    text = "\n".join(lines)
    assert "tablets cannot reach it" in text and "hotspot" in text
