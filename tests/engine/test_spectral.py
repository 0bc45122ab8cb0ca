"""Spectral registry, sensor presets and band -> layer resolution."""
from __future__ import annotations

import json
import math

import pytest

from engine.errors import BandError
from engine.sensors import SENSOR_DIR
from engine.spectral import (
    ALL_RANGES,
    DERIVED_RANGES,
    TRAINED_RANGES,
    BandSpec,
    LayerDecision,
    decision_table,
    decisions_to_json,
    derived_mix,
    get_sensor,
    layer_indices,
    list_sensors,
    parse_band,
    resolve_band,
    resolve_bands,
)

REFERENCE_TABLE = [
    (0, "aerosol", "B01", 422, 463), (1, "blue_1", "B02", 427, 558), (2, "blue_3", "blue", 430, 545),
    (3, "green_1", "green", 466, 620), (4, "green_2", "B03", 524, 595), (5, "red_1", "red", 590, 710),
    (6, "red_2", "B04", 634, 696), (7, "red_edge_1", "B05", 689, 719), (8, "red_edge_2", "B06", 726, 755),
    (9, "near_infrared_1", "B08", 728, 938), (10, "near_infrared_2", "B07", 761, 802),
    (11, "near_infrared_3", "B8A", 843, 886), (12, "short_wave_infrared_1", "B09", 923, 964),
    (13, "short_wave_infrared_3", "B11", 1516, 1704), (14, "short_wave_infrared_4", "B12", 2002, 2376),
    (15, "microwave_1", "VV", 5.5e7, 5.6e7), (16, "microwave_2", "VH", 5.5e7, 5.6e7),
]
EXPECTED_SENSORS = {
    "sentinel2_l1c": 13, "sentinel2_l2a": 12, "sentinel1_grd": 2, "rgb_vhr": 3, "naip": 4, "landsat8": 10,
    "landsat7": 7, "landsat5": 7, "planetscope4": 4, "planetscope8": 8, "hls_s30": 13, "hls_l30": 10,
}


def test_trained_ranges_are_the_reference_table():
    assert len(TRAINED_RANGES) == 17
    got = [(r.index, r.name, r.band, r.min_nm, r.max_nm) for r in TRAINED_RANGES]
    assert got == [tuple(float(v) if isinstance(v, (int, float)) and i > 2 else v for i, v in enumerate(row))
                   for row in REFERENCE_TABLE]
    assert TRAINED_RANGES[9].band == "B08" and TRAINED_RANGES[10].band == "B07"
    assert [r.index for r in ALL_RANGES] == list(range(19))


def test_derived_ranges():
    thermal, blue2 = DERIVED_RANGES
    assert (thermal.index, thermal.name, thermal.min_nm, thermal.max_nm) == (17, "thermal_infrared_1", 10600, 11190)
    assert (blue2.index, blue2.name, blue2.min_nm, blue2.max_nm) == (18, "blue_2", 452, 512)


def test_derived_weights_follow_the_published_rule():
    # weight_k = |c_new - c_k| / sum_j |c_new - c_j|, centre = (min+max)/2
    c = 482.0
    d0, d1 = abs(c - 442.5), abs(c - 492.5)
    assert derived_mix(18) == ((0, d0 / (d0 + d1)), (1, d1 / (d0 + d1)))
    assert derived_mix(18)[0][1] == pytest.approx(0.79, abs=1e-12)
    c = 10895.0
    d14, d15 = abs(c - 2189.0), abs(c - 5.55e7)
    assert derived_mix(17) == ((14, d14 / (d14 + d15)), (15, d15 / (d14 + d15)))
    assert derived_mix(17)[0][1] == pytest.approx(0.000157, abs=5e-7)
    assert derived_mix(17)[1][1] == pytest.approx(0.999843, abs=5e-7)


def test_landsat8_b2_and_b10_reproduce_derived_layers_bit_for_bit():
    b2 = resolve_band("landsat8:B2")
    assert b2.kind == "interpolated" and b2.layer_index == 18
    assert b2.mix == derived_mix(18)
    assert b2.mix[0][0] == 0 and b2.mix[0][1] > b2.mix[1][1]  # farther layer (aerosol) weighs more
    b10 = resolve_band("landsat8:B10")
    assert b10.kind == "interpolated" and b10.layer_index == 17
    assert b10.mix == derived_mix(17)
    assert "FARTHER" in b10.explanation
    # the derived layers themselves resolve to their index
    assert resolve_band(17).layer_index == 17 and resolve_band(18).layer_index == 18


def test_linear_rule_gives_the_nearer_layer_more_weight():
    d = resolve_band("landsat8:B2", rule="linear")
    assert d.kind == "interpolated" and d.layer_index is None
    assert dict(d.mix) == pytest.approx({0: 0.21, 1: 0.79})
    with pytest.raises(BandError, match="rule"):
        resolve_band("landsat8:B2", rule="cubic")


def test_landsat8_mapping_matches_the_reference_fixture():
    # the reference implementation's landsat8_with_derived case: B1..B7, B10 -> these layers
    names = ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B10"]
    decisions = resolve_bands([f"landsat8:{n}" for n in names])
    assert layer_indices(decisions) == [0, 18, 4, 6, 11, 13, 14, 17]


def test_every_layer_index_resolves_to_itself():
    for i in range(19):
        d = resolve_band(i)
        assert d.layer_index == i, (i, d)
        assert math.isclose(sum(w for _, w in d.mix), 1.0)


def test_sentinel2_order_maps_to_reference_indices():
    s2 = get_sensor("sentinel2_l2a")
    assert layer_indices(resolve_bands(list(s2.bands))) == [0, 1, 4, 6, 7, 8, 10, 9, 11, 12, 13, 14]
    assert all(d.kind == "trained" for d in resolve_bands(list(s2.bands)))


def test_sar_polarization_decides_the_layer():
    assert [d.layer_index for d in resolve_bands(["s1:VV", "s1:VH"])] == [15, 16]
    assert resolve_band("HH").layer_index == 15 and resolve_band("HV").layer_index == 16
    assert resolve_band("sentinel1:VH_dB").band.kind == "backscatter_db"
    # an L-band band (23.6 cm) is outside C-band
    lband = BandSpec("L-HH", 2.3e8, 2.4e8, kind="backscatter_db", polarization="HH")
    with pytest.raises(BandError, match="outside the pretraining spectrum"):
        resolve_band(lband)
    d = resolve_band(lband, extrapolate=True)
    assert d.kind == "nearest" and d.layer_index == 15 and "EXTRAPOLATED" in d.explanation
    # an ERS-like C-band band next to the trained range
    ers = BandSpec("ERS VV", 5.6e7, 5.7e7, polarization="VV")
    assert resolve_band(ers).kind == "nearest"
    with pytest.raises(BandError, match="polarization"):
        resolve_band(BandSpec("radar", 5.5e7, 5.6e7))
    with pytest.raises(BandError, match="radar wavelength"):
        resolve_band(BandSpec("odd", 600, 700, polarization="VV"))


def test_microwave_mixes_only_with_microwave_layers_and_optical_never_without_thermal():
    for sensor in list_sensors():
        for d in resolve_bands(list(get_sensor(sensor).bands), allow_unsupported=True):
            layers = {i for i, _ in d.mix}
            if d.band.is_microwave:
                assert layers <= {15, 16}
            elif layers & {15, 16}:
                assert 8000 <= d.band.centre_nm <= 15000 and layers == {14, 15}


def test_planetscope_coastal_blue_is_nearest_aerosol():
    d = resolve_band("planetscope:coastal_blue")
    assert d.kind == "nearest" and d.layer_index == 0


def test_parse_band_forms():
    assert parse_band("634-696nm") == BandSpec("634-696nm", 634.0, 696.0)
    b = parse_band("0.634-0.696um")
    assert (b.min_nm, b.max_nm) == pytest.approx((634.0, 696.0))
    assert parse_band("634 – 696 nm").max_nm == 696.0
    assert parse_band("sentinel2:B04").sensor == "sentinel2_l2a"
    assert parse_band("s2:B4") == parse_band("sentinel2:red")
    assert parse_band("sentinel2:B10").sensor == "sentinel2_l1c"
    assert parse_band("l8:B10").min_nm == 10600 and parse_band("landsat9:tirs1").name == "B10"
    assert parse_band("naip:nir").name == "nir" and parse_band("rgb:red").sensor == "rgb_vhr"
    assert parse_band("s1:VV").polarization == "VV"
    assert parse_band(6).name == "red_2" and parse_band("6") == parse_band(6)
    d = resolve_band("sentinel2:B04")
    assert parse_band(d) is d.band


@pytest.mark.parametrize(
    "bad, match",
    [
        ("B04", "Unknown band 'B04'"),
        ("sentinel2:B13", "Unknown band 'B13'.*B01"),
        ("sentinel3:B04", "Unknown sensor preset 'sentinel3'"),
        ("634-696", None),  # a unit-less nm range >= 100 is fine
        ("0.6-0.7", "add a unit"),
        ("700-600nm", "min > max"),
        ("nan-700nm", "not a number"),
        (19, "does not exist"),
        (True, "not a band"),
        ("5.5-5.6cm", "polarization"),
    ],
)
def test_parse_band_errors(bad, match):
    if match is None:
        assert parse_band(bad).max_nm == 696
        return
    with pytest.raises(BandError, match=match):
        parse_band(bad)


def test_resolve_bands_errors_name_band_and_position():
    with pytest.raises(BandError, match="No bands"):
        resolve_bands([])
    with pytest.raises(BandError, match=r"Band 3 of 3 .*duplicates band 1"):
        resolve_bands(["sentinel2:B04", "sentinel2:B03", "634-696nm"])
    with pytest.raises(BandError, match=r"Band 2 of 2 .*min > max"):
        resolve_bands(["s2:B02", BandSpec("weird", 700, 600)])
    with pytest.raises(BandError, match=r"Band 1 of 2 .*not a number"):
        resolve_bands([BandSpec("nan", float("nan"), 600), "s2:B02"])
    with pytest.raises(BandError, match=r"Band 2 of 2 .*not a number"):
        resolve_bands(["s2:B02", BandSpec("inf", 500, float("inf"))])
    with pytest.raises(BandError, match=r"Band 2 of 2 \('foo'\).*Unknown band"):
        resolve_bands(["s2:B02", "foo"])
    # VV and VH share a range but differ in polarization: not duplicates
    assert len(resolve_bands(["s1:VV", "s1:VH"])) == 2


def test_sentinel2_b10_is_refused_or_reported_unsupported():
    l1c = list(get_sensor("sentinel2_l1c").bands)
    with pytest.raises(BandError, match=r"Band 11 of 13 .*B10.*cirrus.*no projection layer"):
        resolve_bands(l1c)
    decisions = resolve_bands(l1c, allow_unsupported=True)
    assert len(decisions) == 13  # never silently dropped
    b10 = decisions[10]
    assert b10.kind == "unsupported" and b10.mix == () and b10.layer_index is None
    assert "unsupported" in decision_table(decisions)


def test_outside_spectrum_needs_extrapolate():
    message = (r"band '350-400nm' \(350-400 nm\) lies outside the pretraining spectrum "
               r"\(422-2376 nm optical, C-band SAR\) and outside the thermal window .* \(8-15 um\); exclude it or "
               r"pass extrapolate=True")
    with pytest.raises(BandError, match=message):
        resolve_band("350-400nm")
    d = resolve_band("350-400nm", extrapolate=True)
    assert d.kind == "nearest" and d.layer_index == 0
    with pytest.raises(BandError, match="outside the pretraining spectrum"):
        resolve_band("3500-4000nm")  # mid-wave infrared: not bracketed like the thermal band
    assert resolve_band("2250-2350nm").layer_index == 14  # inside SWIR2 beyond its centre


def test_every_preset_resolves_and_prints_a_table(capsys):
    assert set(EXPECTED_SENSORS) <= set(list_sensors())
    for sid in list_sensors():
        sensor = get_sensor(sid)
        assert len(sensor.bands) == EXPECTED_SENSORS.get(sid, len(sensor.bands))
        decisions = resolve_bands(list(sensor.bands), allow_unsupported=True)
        table = decision_table(decisions)
        assert len(table.splitlines()) == len(decisions) + 2
        for d in decisions:
            assert d.kind in ("trained", "nearest", "interpolated", "unsupported")
            if d.kind != "unsupported":
                assert math.isclose(sum(w for _, w in d.mix), 1.0)
                assert all(0 <= i <= 16 and 0 <= w <= 1 for i, w in d.mix)
        json.dumps(decisions_to_json(decisions))
    with capsys.disabled():  # friendly output under -s
        for sid in ("landsat8", "planetscope8", "naip"):
            print(f"\n{get_sensor(sid).title}\n" + decision_table(resolve_bands(list(get_sensor(sid).bands),
                                                                                   allow_unsupported=True)))


def test_rgb_vhr_resolves_to_the_commercial_rgb_layers():
    assert layer_indices(resolve_bands(list(get_sensor("rgb").bands))) == [5, 3, 2]


def test_sensor_json_files_are_complete():
    for path in SENSOR_DIR.glob("*.json"):
        data = json.loads(path.read_text())
        assert data["source"], path
        for b in data["bands"]:
            assert b["min_nm"] <= b["max_nm"], (path, b)
            if b.get("kind") == "backscatter_db":
                assert b["polarization"] in ("VV", "VH", "HH", "HV")
    with pytest.raises(BandError, match="Unknown sensor preset"):
        get_sensor("modis")


def test_decisions_to_json_round_trip_fields():
    data = decisions_to_json(resolve_bands(["landsat8:B10", "s1:VH"]))
    assert data[0]["layer_index"] == 17 and data[0]["decision"] == "interpolated"
    assert data[1]["polarization"] == "VH" and data[1]["mix"] == [[16, 1.0]]
    assert isinstance(resolve_bands("s2:B04")[0], LayerDecision)


def test_trained_match_tolerates_small_range_differences():
    assert resolve_band("633-697nm").kind == "trained" and resolve_band("633-697nm").layer_index == 6
    assert resolve_band("landsat8:B3").kind == "trained"  # 533-590 vs 524-595: IoU 0.80
    d = resolve_band("600-650nm")
    assert d.kind == "interpolated" and [i for i, _ in d.mix] == [4, 6]


def test_centres_next_to_a_layer_centre_snap_to_it():
    # 442.5 .. 492.5 is the aerosol/blue_1 gap (50 nm): within 18% of it the band uses the nearer layer
    near = resolve_band("470-510nm")  # centre 490, 2.5 nm from blue_1
    assert near.kind == "nearest" and near.layer_index == 1
    mid = resolve_band("450-500nm")  # centre 475: 35% of the gap, interpolated
    assert mid.kind == "interpolated" and [i for i, _ in mid.mix] == [0, 1]
    assert resolve_band("landsat7:B1").layer_index == 1  # 450-520, 15% of the gap
    assert resolve_band("landsat5:B1").mix == resolve_band("landsat7:B1").mix


def test_sensor_aliases():
    assert get_sensor("landsat9").id == "landsat8" and get_sensor("L8").id == "landsat8"
    assert get_sensor("landsat4").id == "landsat5" and get_sensor("s2").id == "sentinel2_l2a"
    assert get_sensor("S1").id == "sentinel1_grd" and get_sensor("planetscope").id == "planetscope8"
    assert get_sensor("sentinel2_l1c").find_band("cirrus").name == "B10"
