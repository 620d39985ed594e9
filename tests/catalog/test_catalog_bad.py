"""Hostile and malformed catalog files: each is refused in one line (CatalogFileError or
CoordinateRangeError, both AreoInputError), before or while reading, never with another
exception, never by hanging, and a refused file adds nothing to the catalog. The CLI turns
them into one stderr line and exit code 2."""

from __future__ import annotations

import math
import os
import threading

import pytest

from areo.catalog import Catalog, check_name
from areo.errors import AreoInputError, CatalogFileError

SITE = '[sites.x]\nlat_deg = 1.0\nlon_east_deg = 2.0\n'
STATION = '[stations.x]\nlat_deg = 1.0\nlon_east_deg = 2.0\n'
ORBIT = ('[orbits.x]\nperi_alt_km = 300.0\napo_alt_km = 400.0\ninc_deg = 10.0\n'
         'epoch_utc = "2021-01-01T00:00:00"\n')


def _refused(path) -> str:
    cat = Catalog()
    with pytest.raises(AreoInputError) as exc:
        cat.load(path)
    msg = str(exc.value)
    assert "\n" not in msg and msg
    assert not (len(cat.sites) or len(cat.stations) or len(cat.orbits))
    return msg


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        # shapes
        ('sites = "a string"\n', "sites must be a table of [sites.<key>] tables, not a string"),
        ("sites = [1, 2, 3]\n", "not an array"),
        ("[sites]\nx = 1\n", "sites.x must be a table of fields"),
        ("stations = [{lat_deg = 0}]\n", "stations must be a table"),
        ('orbits = "x"\n', "orbits must be a table"),
        # numbers: finite and in range
        (STATION + "height_km = inf\n", "height"),
        (STATION + "height_km = 1e9\n", "outside [-0.5, 10] km"),
        (STATION + "height_km = -3.0\n", "outside [-0.5, 10] km"),
        (STATION + "diameter_m = 'big'\n", "non-numeric field 'diameter_m'"),
        (STATION + "diameter_m = -5\n", "diameter_m"),
        ("[stations.x]\nitrf_xyz_m = [nan, 0, 0]\n", "not on its surface"),
        ("[stations.x]\nitrf_xyz_m = [0, 0, 0]\n", "not on its surface"),
        ("[stations.x]\nitrf_xyz_m = [1, 2]\n", "3 numbers"),
        (SITE + "height_km = inf\n", "height"),
        (SITE + "height_km = 400\n", "outside [-20, 30] km"),
        (SITE + "elevation_areoid_m = nan\n", "elevation_areoid_m"),
        ("[sites.x]\nlat_deg = 91\nlon_east_deg = 0\n", "outside [-90, 90]"),
        ("[sites.x]\nlat_deg = true\nlon_east_deg = 0\n",
         "non-numeric field 'lat_deg' (a boolean)"),
        ("[sites.x]\nlat_deg = 0\nlon_east_deg = -inf\n", "lon_east_deg"),
        (SITE + "landing_scet_utc = 5\n", "must be a UTC time"),
        (SITE + "landing_scet_utc = 'yesterday'\n", "is not a UTC time"),
        (SITE + "landing_scet_utc = '2021-02-30T00:00:00'\n", "is not a UTC time"),
        (SITE + "landing_scet_utc = 2700-01-01\n", "outside the DE440 ephemeris span"),
        # names and text
        (SITE + 'name = "evil\\u001b[31mred"\n', "non-printable character U+001B"),
        (SITE + 'name = "a\\nb"\n', "non-printable character U+000A"),
        (SITE + 'name = "nul\\u0000"\n', "U+0000"),
        (SITE + 'name = "rtl\\u202eoverride"\n', "U+202E"),
        (SITE + f'name = "{"A" * 300}"\n', "300 characters long: keep it to 64"),
        (SITE + 'aliases = "abc"\n', "'aliases' must be an array of names, not a string"),
        (SITE + "aliases = {a = 1}\n", "not a table"),
        (SITE + "aliases = [1]\n", "alias must be a string"),
        (SITE + 'source = "x\\u0007"\n', "control character U+0007"),
        ('[sites."bad\\tkey"]\nlat_deg = 0\nlon_east_deg = 0\n', "sites key"),
        # orbits
        (ORBIT.replace("300.0", "-500.0"), "at or below the surface of Mars"),
        (ORBIT.replace("300.0", "0.0"), "at or below the surface of Mars"),
        (ORBIT.replace("400.0", "inf"), "apo_alt_km"),
        (ORBIT.replace("400.0", "100.0"), "swap them"),
        (ORBIT.replace("400.0", "1e9"), "outside"),
        (ORBIT.replace("10.0", "500.0"), "inc_deg"),
        (ORBIT.replace('"2021-01-01T00:00:00"', '"yesterday"'), "is not a UTC time"),
        (ORBIT.replace('"2021-01-01T00:00:00"', '"3000-01-01"'), "DE440"),
        (ORBIT + "raan_deg = nan\n", "raan_deg"),
        (ORBIT + "verified = 'yes'\n", "true or false"),
        (ORBIT + "period_h_published = -2\n", "period_h_published"),
        (ORBIT.replace('epoch_utc = "2021-01-01T00:00:00"\n', ""), "lacks the field 'epoch_utc'"),
    ],
)
def test_bad_records_are_refused_in_one_line(tmp_path, text, fragment):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    msg = _refused(path)
    assert fragment in msg, msg
    assert str(path) in msg or "station 'x'" in msg or "site 'x'" in msg


def test_a_bad_record_adds_nothing(tmp_path):
    path = tmp_path / "mixed.toml"
    path.write_text(SITE + "\n[sites.y]\nlat_deg = 100\nlon_east_deg = 0\n" + ORBIT)
    _refused(path)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b'[sites.x]\nname = "\xff\xfe"\nlat_deg = 0\nlon_east_deg = 0\n',
         "is not UTF-8 text (byte 0xff on line 2)"),
        (b"[sites\nlat_deg = 0\n", "is not valid TOML"),
        (b"", "is empty"),
        (b"# only a comment\n", "is empty"),
        (b"[foo]\nx = 1\n", "holds no [sites.<key>]"),
        (b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n", "nests arrays or tables too deeply"),
        (b"a" + b".a" * 6000 + b" = 1\n", "dotted key of more than 32 parts"),
        (b'"a"' + b'."a"' * 40 + b" = 1\n", "dotted key of more than 32 parts"),
        (b"x = 1" + b"0" * 5000 + b"\n", "holds a value that cannot be read"),
        (b"x = '" + b"y" * 30000 + b"'\n", "line 1 is longer than 20,000 characters"),
        (b"TOP SECRET hunter2\n", "is not valid TOML"),
    ],
)
def test_unreadable_files_are_refused_without_echo(tmp_path, content, fragment):
    path = tmp_path / "cat.toml"
    path.write_bytes(content)
    msg = _refused(path)
    assert fragment in msg, msg
    assert "hunter2" not in msg and "yyyy" not in msg


def test_long_but_sane_dotted_keys_and_strings_still_load(tmp_path):
    path = tmp_path / "ok.toml"
    dotted = ".".join("abcdefghijklmnopqrstuvwxyzabcdefghij")
    path.write_text(SITE + f'source = "{dotted}"\n# {dotted}\n', encoding="utf-8")
    cat = Catalog().load(path)
    assert cat.site("x").source.startswith("a.b.c")


def test_special_files_are_refused_before_reading(tmp_path):
    (tmp_path / "dir.toml").mkdir()
    assert "is a directory" in _refused(tmp_path / "dir.toml")
    assert "does not exist" in _refused(tmp_path / "missing.toml")
    assert "character device" in _refused("/dev/zero")
    big = tmp_path / "big.toml"
    with open(big, "wb") as fh:
        fh.truncate(20 << 20)
    assert "20.0 MiB, more than the 16.0 MiB" in _refused(big)
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    got = []
    t = threading.Thread(target=lambda: got.append(_refused(fifo)), daemon=True)
    t.start()
    t.join(10.0)
    assert got and "is a FIFO" in got[0]


def test_unicode_names_are_allowed(tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text(SITE + 'name = "Tianwen-1 天问"\naliases = ["Zhùróng 祝融"]\n'
                    'landing_scet_utc = 2021-05-14T23:18:00Z\n', encoding="utf-8")
    cat = Catalog().load(path)
    s = cat.site("tianwen-1 天问")
    assert s.name == "Tianwen-1 天问" and cat.site("zhùróng 祝融") is s
    assert s.landing_scet_utc == "2021-05-14T23:18:00"
    assert math.isclose(s.lon_east_deg, 2.0)


def test_check_name_limits():
    assert check_name("  Mars Express ", "name") == "Mars Express"
    for bad in ("", "x" * 65, "a\tb", "a\u200bb", 5, None):
        with pytest.raises(CatalogFileError):
            check_name(bad, "name")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["sites", "--catalog", "{d}/nonutf8.toml"], "is not UTF-8 text"),
        (["sites", "--catalog", "{d}/str.toml"], "sites must be a table"),
        (["stations", "--json", "--catalog", "{d}/inf.toml"], "height"),
        (["time", "2021-01-01", "--catalog", "{d}/nonutf8.toml"], "is not UTF-8 text"),
        (["sites", "--catalog", "/dev/zero"], "character device"),
        (["sites", "--catalog", "{d}/fifo.toml"], "is a FIFO"),
    ],
)
def test_cli_catalog_errors_exit_2_in_one_line(tmp_path, capsys, args, fragment):
    from areo.cli import main

    (tmp_path / "nonutf8.toml").write_bytes(b"[sites.x]\nname = '\xff'\n")
    (tmp_path / "str.toml").write_text('sites = "a string"\n')
    (tmp_path / "inf.toml").write_text(STATION.replace("[stations.x]", "[stations.zz_inf]")
                                       + "height_km = inf\n")
    os.mkfifo(tmp_path / "fifo.toml")
    with pytest.raises(SystemExit) as exc:
        main([a.format(d=tmp_path) for a in args])
    out, err = capsys.readouterr()
    assert exc.value.code == 2 and out == ""
    assert err.startswith("areo: error: ") and err.count("\n") == 1 and fragment in err, err
