"""Bad scenarios: each is refused by load_scenario in one ScenarioError line that names the
field, before any computation; names may use any script but no control characters; files
the scenario names are checked (type, size, kind) without quoting their content; the CLI
exits 2 with that one line and writes nothing."""

from __future__ import annotations

import os
import threading

import pytest

from areo.mission import ScenarioError, load_scenario
from tests.mission.helpers import EXAMPLES, cli, short_exomars_text

SECRET = "hunter2-secret-line"


def _load(tmp_path, text: str, name: str = "s.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_scenario(path)


def _refused(tmp_path, text: str) -> str:
    with pytest.raises(ScenarioError) as exc:
        _load(tmp_path, text)
    msg = str(exc.value)
    assert "\n" not in msg and SECRET not in msg
    return msg


def _orbiter(extra: str) -> dict[str, str]:
    return {'name = "mex"                    # Melacom UHF': f'name = "relay"\n{extra}'}


ELEMENTS = 'peri_alt_km = 300.0\napo_alt_km = 400.0\ninc_deg = 60.0'


@pytest.mark.parametrize(
    ("replace", "fragment"),
    [
        # numbers: finite and physical
        ({'rate_mode = "adaptive"': 'rate_mode = "adaptive"\norbiter_storage_mbit = inf'},
         "field 'operations.orbiter_storage_mbit': inf is not a finite number"),
        ({'rate_mode = "adaptive"': 'rate_mode = "adaptive"\norbiter_storage_mbit = 1e30'},
         "operations.orbiter_storage_mbit"),
        ({"periapsis_alt_km = 250.0": "periapsis_alt_km = inf"},
         "field 'capture.periapsis_alt_km': inf is not a finite number"),
        ({"periapsis_alt_km = 250.0": "periapsis_alt_km = nan"}, "capture.periapsis_alt_km"),
        ({"periapsis_alt_km = 250.0": "periapsis_alt_km = -50.0"},
         "field 'capture.periapsis_alt_km': -50.0 km is at or below the surface of Mars"),
        ({"period_h = 96.0": "period_h = 1e9"}, "capture.period_h"),
        ({"period_h = 96.0": "period_h = 1e-100"},
         "field 'capture.period_h': 1e-100 h: period 3.6e-97 s is shorter than that of the "
         "circular orbit"),
        ({"period_h = 96.0": "apoapsis_alt_km = 100.0"}, "field 'capture.apoapsis_alt_km'"),
        ({"ephemeris_sols = 1 ": "ephemeris_sols = 5e-324 "}, "operations.ephemeris_sols"),
        ({"final_alt_km = 400.0": "final_alt_km = inf"}, "capture.final_alt_km"),
        ({"parking_alt_km = 200.0": "parking_alt_km = nan"}, "launch.parking_alt_km"),
        (_orbiter(ELEMENTS.replace("300.0", "-100.0")),
         "field 'orbiters.1.peri_alt_km': -100.0 km is at or below the surface of Mars"),
        (_orbiter(ELEMENTS.replace("400.0", "inf")), "orbiters.1.apo_alt_km"),
        (_orbiter(ELEMENTS + "\nraan_deg = nan"), "orbiters.1.raan_deg"),
        (_orbiter(ELEMENTS + "\nargp_deg = 1e300"), "orbiters.1.argp_deg"),
        ({"min_elev_deg = 10.0": "min_elev_deg = nan"}, "operations.min_elev_deg"),
        ({"ephemeris_step_s = 60.0": "ephemeris_step_s = inf"}, "operations.ephemeris_step_s"),
        ({"loss_per_sol = 0.002": "loss_per_sol = nan"}, "dust.loss_per_sol"),
        ({'tau = "seasonal"': "tau = inf"}, "dust.tau"),
        ({"link_fraction = 0.10": "link_fraction = -inf"}, "margins.link_fraction"),
        ({'site = "oxia_planum"': 'name = "x"\nlat_deg = 0.0\nlon_east_deg = inf'},
         "landing.lon_east_deg"),
        # names: printable, one line, <= 64 characters
        ({'name = "ExoMars 2028: Rosalind Franklin at Oxia Planum"': 'name = "a\\u0000b"'},
         "field 'mission.name': the name holds the non-printable character U+0000"),
        ({'name = "ExoMars 2028: Rosalind Franklin at Oxia Planum"': 'name = "a\\nb"'},
         "U+000A"),
        ({'name = "ExoMars 2028: Rosalind Franklin at Oxia Planum"': 'name = "a\\tb"'},
         "U+0009"),
        ({'name = "ExoMars 2028: Rosalind Franklin at Oxia Planum"':
          'name = "\\u001b[31mred"'}, "U+001B"),
        ({'name = "ExoMars 2028: Rosalind Franklin at Oxia Planum"': f'name = "{"M" * 300}"'},
         "field 'mission.name': the name is 300 characters long: keep it to 64"),
        (_orbiter(ELEMENTS).__class__({'name = "mex"                    # Melacom UHF':
                                      f'name = "{"O" * 300}"\n{ELEMENTS}'}),
         "field 'orbiters.1.name': the name is 300 characters long"),
        ({'site = "oxia_planum"': f'name = "{"S" * 300}"\nlat_deg = 1.0\nlon_east_deg = 2.0'},
         "field 'landing.name'"),
        ({'site = "oxia_planum"': 'name = "bell\\u0007"\nlat_deg = 1.0\nlon_east_deg = 2.0'},
         "U+0007"),
        ({'names = ["new norcia"': 'names = ["new\\u0000norcia"'}, "stations.names.0"),
        # times and spans
        ({'site = "oxia_planum"': 'site = "oxia_planum"\nutc = "2649-01-01T00:00:00"'},
         "field 'landing.utc': 2649-01-01T00:00:00 is"),
        ({'site = "oxia_planum"': 'site = "oxia_planum"\nutc = "2030-01-01T00:00:00"'},
         "is before the arrival"),
        ({"latest = 2028-12-31": "latest = 2038-12-31"}, "field 'launch.latest'"),
        # an Earth site from the catalog (the sample-return capsule's) is not a landing site
        ({'site = "oxia_planum"': 'site = "uttr"'}, "not Mars"),
        ({"earliest = 2030-07-01": "earliest = 2050-10-01",
          "latest = 2031-03-01": "latest = 2051-11-30"}, "field 'arrival'"),
        # file references
        ({'model = "rosalind_franklin"': 'model = "rovers/x"'}, "must end in .toml"),
        ({'model = "rosalind_franklin"': 'model = "secret.txt"'}, "unknown rover 'secret.txt'"),
        (_orbiter('naif_id = true\nspk = "k.bsp"'), "orbiters.1.naif_id"),
        (_orbiter('naif_id = 99999999999\nspk = "k.bsp"'), "orbiters.1.naif_id"),
        (_orbiter('oem = "a\\u0000b.oem"'), "orbiters.1.oem"),
    ],
)
def test_bad_fields_are_refused_in_one_line_naming_the_field(tmp_path, replace, fragment):
    msg = _refused(tmp_path, short_exomars_text(replace))
    assert fragment in msg, msg
    assert msg.startswith(f"scenario {tmp_path / 's.toml'}: ")


def test_landing_far_after_the_arrival_is_refused(tmp_path):
    text = (EXAMPLES / "perseverance-2020.toml").read_text()
    old = 'utc = "2021-02-18T20:43:49"     # touchdown'
    assert old in text
    text = text.replace(old, 'utc = "2649-01-01T00:00:00"     # touchdown')
    msg = _refused(tmp_path, text)
    assert "field 'landing.utc'" in msg and "days after the arrival" in msg, msg


def test_unicode_names_are_allowed(tmp_path):
    sc = _load(tmp_path, short_exomars_text({
        'name = "ExoMars 2028: Rosalind Franklin at Oxia Planum"': 'name = "Tianwen-1 天问"',
        'name = "mex"                    # Melacom UHF': f'name = "Zhùróng 祝融"\n{ELEMENTS}',
    }))
    assert sc.mission.name == "Tianwen-1 天问" and sc.orbiters[1].name == "Zhùróng 祝融"


@pytest.mark.parametrize(
    ("ref", "make", "fragment"),
    [
        ("oem", lambda d: "../../" * 30 + "etc/passwd", "line 1 is not a CCSDS OEM header"),
        ("oem", lambda d: "secret.txt", "line 1 is not a CCSDS OEM header"),
        ("oem", lambda d: "/dev/zero", "is a character device"),
        ("oem", lambda d: (os.mkfifo(d / "f.oem"), "f.oem")[1], "is a FIFO"),
        ("oem", lambda d: ((d / "dir.oem").mkdir(), "dir.oem")[1], "is a directory"),
        ("oem", lambda d: "missing.oem", "does not exist"),
        ("spk", lambda d: "secret.txt", "not an SPK kernel (DAF/SPK)"),
        ("spk", lambda d: "/etc/passwd", "not an SPK kernel (DAF/SPK)"),
        ("spk", lambda d: "/dev/zero", "is a character device"),
        ("rover", lambda d: (os.mkfifo(d / "r.toml"), "r.toml")[1], "is a FIFO"),
        ("rover", lambda d: ((d / "big.toml").open("wb").truncate(20 << 20), "big.toml")[1],
         "more than the 16.0 MiB"),
    ],
)
def test_referenced_files_are_checked_without_echo(tmp_path, ref, make, fragment):
    (tmp_path / "secret.txt").write_text(f"root:x:0:0:{SECRET}\n")
    target = make(tmp_path)
    if ref == "rover":
        replace = {'model = "rosalind_franklin"': f'model = "{target}"'}
    else:
        extra = f'{ref} = "{target}"' + ("\nnaif_id = -143" if ref == "spk" else "")
        replace = _orbiter(extra)
    text = short_exomars_text(replace)
    got: list[str] = []
    t = threading.Thread(target=lambda: got.append(_refused(tmp_path, text)), daemon=True)
    t.start()
    t.join(30.0)
    assert got, "load_scenario hung"
    field = {"oem": "orbiters.1.oem", "spk": "orbiters.1.spk", "rover": "rover.model"}[ref]
    assert f"field {field!r}" in got[0] and fragment in got[0], got[0]
    assert "root:x" not in got[0]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"[mission]\nname = '\xff\xfe'\n", "is not UTF-8 text"),
        (b"[mission\nname = 'x'\n", "is not valid TOML"),
        (b"", "is empty"),
        (b"mission = 5\n", "field 'mission'"),
        (b"orbiters = 'tgo'\n[mission]\nname = 'x'\n", "field 'orbiters'"),
    ],
)
def test_unreadable_scenario_files(tmp_path, content, fragment):
    path = tmp_path / "s.toml"
    path.write_bytes(content)
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    assert fragment in str(exc.value) and "\n" not in str(exc.value)


@pytest.mark.parametrize(
    "make",
    [
        lambda d: ((d / "s.toml").write_bytes(b"[mission]\nname = '\xff'\n"), "s.toml")[1],
        lambda d: ((d / "s.toml").mkdir(), "s.toml")[1],
        lambda d: (os.mkfifo(d / "s.toml"), "s.toml")[1],
        lambda d: "/dev/zero",
        lambda d: ((d / "s.toml").write_text(short_exomars_text(
            {'rate_mode = "adaptive"': 'rate_mode = "adaptive"\norbiter_storage_mbit = inf'})),
            "s.toml")[1],
    ],
)
def test_cli_mission_refuses_bad_files_in_one_line(tmp_path, capsys, make):
    target = make(tmp_path)
    path = target if target.startswith("/") else tmp_path / target
    code, out, err = cli(capsys, "mission", path, "--out", tmp_path / "out")
    assert code == 2 and out == "", err
    assert err.startswith("areo: error: scenario") and err.count("\n") == 1, err
    assert not (tmp_path / "out").exists()
