"""Material library for synthetic scenes: reflectance spectra 400-2500 nm, thermal and C-band SAR.

Each surface pixel of a synthetic scene is a linear mixture of these materials (abundances), so a
sensor band is simulated by averaging each material's spectrum over the band's wavelength range
once and mixing the band values per pixel (band averaging and linear mixing commute).
"""
from __future__ import annotations

import numpy as np

WAVELENGTHS_NM = np.arange(400.0, 2501.0, 1.0)

# Anchor points (nm, reflectance) read off typical library spectra (vegetation with a green peak,
# red absorption, red edge and NIR plateau; leaf-water dips at 1450/1940 nm; soils rising into
# the SWIR; water absorbing everything past the red; snow dropping in the SWIR).
_ANCHORS: dict[str, list[tuple[float, float]]] = {
    "water_clear": [(400, .060), (450, .065), (500, .055), (550, .040), (600, .025), (650, .015),
                    (700, .010), (750, .006), (800, .004), (900, .002), (1000, .001), (1300, .0),
                    (2500, .0)],
    "water_turbid": [(400, .060), (500, .080), (550, .100), (600, .105), (650, .095), (700, .080),
                     (750, .045), (800, .035), (850, .030), (900, .015), (1000, .005), (1200, .001),
                     (2500, .0)],
    "broadleaf": [(400, .030), (450, .035), (500, .040), (550, .090), (600, .050), (650, .035),
                  (680, .030), (700, .080), (720, .250), (750, .420), (800, .460), (900, .470),
                  (1000, .460), (1100, .440), (1200, .400), (1300, .400), (1400, .280),
                  (1450, .180), (1500, .250), (1650, .300), (1800, .260), (1900, .100),
                  (1950, .070), (2100, .160), (2200, .170), (2300, .130), (2500, .080)],
    "conifer": [(400, .020), (450, .025), (500, .028), (550, .055), (600, .032), (650, .022),
                (680, .020), (700, .050), (720, .150), (750, .250), (800, .280), (900, .290),
                (1000, .285), (1100, .270), (1200, .240), (1300, .240), (1400, .160),
                (1450, .100), (1500, .140), (1650, .180), (1800, .150), (1900, .060),
                (1950, .040), (2100, .090), (2200, .095), (2300, .070), (2500, .040)],
    "green_crop": [(400, .030), (450, .035), (500, .045), (550, .110), (600, .055), (650, .030),
                   (680, .025), (700, .090), (720, .300), (750, .480), (800, .520), (900, .530),
                   (1000, .520), (1100, .500), (1200, .450), (1300, .440), (1400, .300),
                   (1450, .190), (1500, .260), (1650, .290), (1800, .250), (1900, .090),
                   (1950, .060), (2100, .150), (2200, .150), (2300, .120), (2500, .070)],
    "grass": [(400, .035), (450, .040), (500, .050), (550, .095), (600, .065), (650, .050),
              (680, .045), (700, .090), (720, .220), (750, .340), (800, .370), (900, .380),
              (1000, .380), (1100, .370), (1200, .350), (1300, .350), (1400, .270), (1450, .200),
              (1500, .280), (1650, .340), (1800, .300), (1900, .130), (1950, .100), (2100, .210),
              (2200, .220), (2300, .180), (2500, .120)],
    "senescent": [(400, .050), (500, .080), (600, .140), (680, .170), (700, .190), (750, .240),
                  (900, .300), (1100, .330), (1300, .360), (1450, .280), (1650, .400),
                  (1900, .250), (2100, .350), (2200, .300), (2500, .250)],
    "soil": [(400, .060), (500, .090), (600, .140), (700, .180), (800, .210), (1000, .250),
             (1300, .290), (1450, .260), (1650, .330), (1900, .270), (2100, .340), (2200, .300),
             (2500, .280)],
    "asphalt": [(400, .050), (600, .070), (1000, .090), (1600, .110), (2200, .110), (2500, .100)],
    "concrete": [(400, .200), (500, .250), (700, .300), (1000, .330), (1600, .360), (2200, .300),
                 (2500, .280)],
    "roof_tile": [(400, .060), (500, .070), (580, .100), (620, .200), (700, .280), (900, .350),
                  (1300, .400), (1650, .420), (2200, .380), (2500, .350)],
    "snow": [(400, .960), (500, .970), (600, .960), (700, .940), (800, .900), (900, .830),
             (1000, .700), (1030, .550), (1100, .650), (1250, .500), (1300, .450), (1450, .050),
             (1550, .020), (1650, .080), (1800, .120), (1950, .010), (2100, .040), (2250, .050),
             (2500, .010)],
    "cloud": [(400, .750), (600, .720), (900, .680), (1300, .600), (1450, .300), (1650, .520),
              (1950, .200), (2200, .350), (2500, .300)],
}
MATERIALS: tuple[str, ...] = tuple(_ANCHORS)
MATERIAL_INDEX = {name: i for i, name in enumerate(MATERIALS)}

# Land-surface brightness temperature (K) in a mild season; scenes add a seasonal offset.
THERMAL_K = {"water_clear": 288.0, "water_turbid": 289.0, "broadleaf": 294.0, "conifer": 293.0,
             "green_crop": 295.0, "grass": 297.0, "senescent": 303.0, "soil": 308.0,
             "asphalt": 315.0, "concrete": 310.0, "roof_tile": 312.0, "snow": 268.0,
             "cloud": 250.0}

# C-band backscatter (VV dB, VH dB): water is specular (dark), forests volume-scatter (bright VH),
# buildings double-bounce (bright VV). Clouds are transparent to SAR, so "cloud" is never used.
SAR_DB = {"water_clear": (-23.0, -29.0), "water_turbid": (-21.0, -28.0),
          "broadleaf": (-7.5, -13.0), "conifer": (-8.0, -13.5), "green_crop": (-9.5, -15.5),
          "grass": (-11.0, -18.0), "senescent": (-12.5, -20.0), "soil": (-12.0, -21.0),
          "asphalt": (-16.0, -25.0), "concrete": (-6.0, -14.0), "roof_tile": (-3.0, -10.0),
          "snow": (-14.0, -21.0), "cloud": (-12.0, -20.0)}


def material_spectra() -> np.ndarray:
    """Reflectance of every material on WAVELENGTHS_NM, shape [n_materials, n_wavelengths]."""
    out = np.empty((len(MATERIALS), WAVELENGTHS_NM.size), dtype=np.float64)
    for i, name in enumerate(MATERIALS):
        pts = np.asarray(_ANCHORS[name], dtype=np.float64)
        out[i] = np.interp(WAVELENGTHS_NM, pts[:, 0], pts[:, 1])
    # Smooth the piecewise-linear curves a little (20 nm box) so band averages vary smoothly.
    kernel = np.ones(21) / 21.0
    padded = np.pad(out, ((0, 0), (10, 10)), mode="edge")
    return np.stack([np.convolve(row, kernel, mode="valid") for row in padded])


_SPECTRA = material_spectra()


def band_reflectance(min_nm: float, max_nm: float, top_of_atmosphere: bool = False) -> np.ndarray:
    """Mean reflectance of each material over [min_nm, max_nm]; shape [n_materials]."""
    lo, hi = max(min_nm, WAVELENGTHS_NM[0]), min(max_nm, WAVELENGTHS_NM[-1])
    if hi < lo:
        raise ValueError(f"Range {min_nm}-{max_nm} nm lies outside the simulated 400-2500 nm spectrum.")
    sel = (WAVELENGTHS_NM >= lo) & (WAVELENGTHS_NM <= hi)
    if not sel.any():  # narrower than the 1 nm grid
        sel = np.abs(WAVELENGTHS_NM - 0.5 * (lo + hi)) == np.abs(WAVELENGTHS_NM - 0.5 * (lo + hi)).min()
    vals = _SPECTRA[:, sel].mean(axis=1)
    if top_of_atmosphere:
        # Rayleigh path radiance (~lambda^-4) and a little absorption: why L1C differs from L2A.
        centre = 0.5 * (lo + hi)
        vals = 0.92 * vals + 0.07 * (443.0 / centre) ** 4
    return vals


def thermal_vector() -> np.ndarray:
    """Brightness temperature (K) of each material; shape [n_materials]."""
    return np.array([THERMAL_K[m] for m in MATERIALS])


def sar_linear(polarization: str) -> np.ndarray:
    """Backscatter (linear power) of each material for 'VV' or 'VH' (HH/HV map to VV/VH)."""
    pol = polarization.upper()
    col = 0 if pol in ("VV", "HH") else 1
    return 10.0 ** (np.array([SAR_DB[m][col] for m in MATERIALS]) / 10.0)
