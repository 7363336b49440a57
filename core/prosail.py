"""PROSAIL in numpy: the PROSPECT-D leaf model (Féret et al. 2017) coupled
with the 4SAIL canopy model (Verhoef et al. 2007), vectorised over many
canopies at once. Used by tools/train_gai.py to simulate the Sentinel-2
training set of the GAI retrieval (core/gai.py); nothing here runs in the
product itself.

Written from the published equations (Jacquemoud & Baret 1990 plate model with
Stern's tav, Allen's N-1 layer Stokes solution, SAIL with Kuusk's hotspot and
Campbell's ellipsoidal leaf angle distribution). The specific absorption
coefficients are data, passed in by the caller (`LeafSpectra`).

Simplified: the canopy reflectance mixes the bidirectional (rsot) and the
hemispherical-directional (rdot) reflectances with the diffuse share of
sky light of PROSAIL (a function of the sun zenith only, the same in every
band, not weighted by the direct and diffuse solar spectra)."""
from dataclasses import dataclass

import numpy as np
from scipy.special import exp1

LEAF_ANGLES = np.array([5, 15, 25, 35, 45, 55, 65, 75, 81, 83, 85, 87, 89], float)
_CLASS_EDGES = np.array([0, 10, 20, 30, 40, 50, 60, 70, 80, 82, 84, 86, 88, 90], float)


@dataclass
class LeafSpectra:
    """PROSPECT-D coefficients on `wavelength` (nm): refractive index and the
    specific absorption of chlorophyll a+b, carotenoids, anthocyanins, brown
    pigments, water and dry matter."""
    wavelength: np.ndarray
    nr: np.ndarray
    kab: np.ndarray
    kcar: np.ndarray
    kant: np.ndarray
    kbrown: np.ndarray
    kw: np.ndarray
    km: np.ndarray

    def subset(self, keep):
        return LeafSpectra(*(getattr(self, f)[keep] for f in self.__dataclass_fields__))


def tav(alpha, nr):
    """Mean transmittance of a dielectric plane surface for solid angles up to
    `alpha` degrees (Stern 1964; Allen 1973)."""
    n2 = nr ** 2
    npl, nm = n2 + 1, n2 - 1
    a = (nr + 1) ** 2 / 2
    k = -(n2 - 1) ** 2 / 4
    sa = np.sin(np.radians(alpha))
    b2 = sa ** 2 - npl / 2
    b1 = 0.0 if alpha == 90 else np.sqrt(b2 ** 2 + k)
    b = b1 - b2
    ts = (k ** 2 / (6 * b ** 3) + k / b - b / 2) - (k ** 2 / (6 * a ** 3) + k / a - a / 2)
    tp1 = -2 * n2 * (b - a) / npl ** 2
    tp2 = -2 * n2 * npl * np.log(b / a) / nm ** 2
    tp3 = n2 * (1 / b - 1 / a) / 2
    tp4 = (16 * n2 ** 2 * (n2 ** 2 + 1) * np.log((2 * npl * b - nm ** 2) / (2 * npl * a - nm ** 2))
           / (npl ** 3 * nm ** 2))
    tp5 = 16 * n2 ** 3 * (1 / (2 * npl * b - nm ** 2) - 1 / (2 * npl * a - nm ** 2)) / npl ** 3
    return (ts + tp1 + tp2 + tp3 + tp4 + tp5) / (2 * sa ** 2)


def prospect_d(spectra, n, cab, car, ant, brown, cw, cm):
    """Leaf hemispherical reflectance and transmittance, (samples, wavelengths).
    Leaf parameters are (samples,) arrays: structure N, chlorophyll a+b and
    carotenoids and anthocyanins (ug cm-2), brown pigments (0-1), water and
    dry matter (g cm-2)."""
    col = lambda v: np.asarray(v, float)[:, None]   # noqa: E731
    n = col(n)
    k = (col(cab) * spectra.kab + col(car) * spectra.kcar + col(ant) * spectra.kant
         + col(brown) * spectra.kbrown + col(cw) * spectra.kw + col(cm) * spectra.km) / n
    k = np.maximum(k, 1e-12)
    tau = (1 - k) * np.exp(-k) + k ** 2 * exp1(k)       # transmissivity of the layer
    nr = spectra.nr
    talf, t12 = tav(40.0, nr), tav(90.0, nr)
    ralf, r12 = 1 - talf, 1 - t12
    t21 = t12 / nr ** 2
    r21 = 1 - t21
    denom = 1 - r21 ** 2 * tau ** 2
    ta = talf * tau * t21 / denom                       # top layer (incidence within 40 deg)
    ra = ralf + r21 * tau * ta
    t = t12 * tau * t21 / denom                         # an elementary inner layer
    r = r12 + r21 * tau * t
    # the N - 1 other layers (Stokes' system)
    d = np.sqrt(np.maximum((1 + r + t) * (1 + r - t) * (1 - r + t) * (1 - r - t), 0))
    a = (1 + r ** 2 - t ** 2 + d) / (2 * r)
    b = (1 - r ** 2 + t ** 2 + d) / (2 * t)
    bn = b ** (n - 1)
    den = a ** 2 * bn ** 2 - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        rsub = a * (bn ** 2 - 1) / den
        tsub = bn * (a ** 2 - 1) / den
    lossless = (r + t >= 1) | ~np.isfinite(rsub)
    tsub = np.where(lossless, t / (t + (1 - t) * (n - 1)), tsub)
    rsub = np.where(lossless, 1 - tsub, rsub)
    den = 1 - rsub * r
    return ra + ta * rsub * t / den, ta * tsub / den


def campbell_lidf(ala):
    """Leaf inclination distribution (samples, 13 classes) of Campbell's
    ellipsoid for a mean leaf angle `ala` (deg); the eccentricity from the
    mean angle by PROSAIL's polynomial."""
    ala = np.asarray(ala, float)[:, None]
    x = np.exp(-1.6184e-5 * ala ** 3 + 2.1145e-3 * ala ** 2 - 1.2390e-1 * ala + 3.2491)
    # Campbell's density integrated numerically inside each class
    fine = np.linspace(0, 90, 901)[1:] - 0.05
    th = np.radians(fine)[None, :]
    dens = np.sin(th) / (np.cos(th) ** 2 + x ** 2 * np.sin(th) ** 2) ** 2
    cls = np.searchsorted(_CLASS_EDGES, fine, side="right") - 1
    out = np.stack([dens[:, cls == i].sum(axis=1) for i in range(13)], axis=1)
    return out / out.sum(axis=1, keepdims=True)


def _volscatt(tts, tto, psi, ttl):
    """Extinction (chi_s, chi_o) and volume scattering (frho, ftau) of leaves
    inclined `ttl`; angles in degrees, (samples,) arrays."""
    rad = np.radians
    cs, co = np.cos(rad(ttl)) * np.cos(rad(tts)), np.cos(rad(ttl)) * np.cos(rad(tto))
    ss, so = np.sin(rad(ttl)) * np.sin(rad(tts)), np.sin(rad(ttl)) * np.sin(rad(tto))
    with np.errstate(invalid="ignore", divide="ignore"):
        cbs = np.where(np.abs(ss) > 1e-6, -cs / np.where(ss == 0, 1, ss), 5.0)
        cbo = np.where(np.abs(so) > 1e-6, -co / np.where(so == 0, 1, so), 5.0)
    inner_s, inner_o = np.abs(cbs) < 1, np.abs(cbo) < 1
    bts = np.where(inner_s, np.arccos(np.clip(cbs, -1, 1)), np.pi)
    ds = np.where(inner_s, ss, cs)
    bto = np.where(inner_o, np.arccos(np.clip(cbo, -1, 1)), np.pi)
    do = np.where(inner_o, so, co)
    chi_s = 2 / np.pi * ((bts - np.pi / 2) * cs + np.sin(bts) * ss)
    chi_o = 2 / np.pi * ((bto - np.pi / 2) * co + np.sin(bto) * so)
    psir = rad(psi)
    btran1 = np.abs(bts - bto)
    btran2 = np.pi - np.abs(bts + bto - np.pi)
    first = psir <= btran1
    bt1 = np.where(first, psir, btran1)
    bt2 = np.where(first, btran1, np.where(psir <= btran2, psir, btran2))
    bt3 = np.where(first, btran2, np.where(psir <= btran2, btran2, psir))
    t1 = 2 * cs * co + ss * so * np.cos(psir)
    t2 = np.where(bt2 > 0, np.sin(bt2) * (2 * ds * do + ss * so * np.cos(bt1) * np.cos(bt3)), 0)
    frho = np.maximum(((np.pi - bt2) * t1 + t2) / (2 * np.pi ** 2), 0)
    ftau = np.maximum((-bt2 * t1 + t2) / (2 * np.pi ** 2), 0)
    return chi_s, chi_o, frho, ftau


def _j1(k, m, lai):
    d = (k - m) * lai
    near = np.abs(d) <= 1e-3
    with np.errstate(invalid="ignore", divide="ignore"):
        far = (np.exp(-m * lai) - np.exp(-k * lai)) / np.where(near, 1, k - m)
    return np.where(near, 0.5 * lai * (np.exp(-k * lai) + np.exp(-m * lai)) * (1 - d ** 2 / 12),
                    far)


def _j2(k, m, lai):
    return (1 - np.exp(-(k + m) * lai)) / (k + m)


def _hotspot_integral(ks, ko, lai, hspot, dso):
    """(tsstoo, sumint): bidirectional gap fraction and the single-scattering
    integral with Kuusk's hotspot, 20-step quadrature as in 4SAIL."""
    alf = np.where(hspot > 0, dso / np.maximum(hspot, 1e-12) * 2 / (ks + ko), 1e6)
    no_hot = alf == 0
    alf = np.where(no_hot, 1.0, alf)
    fhot = lai * np.sqrt(ko * ks)
    x1 = y1 = 0.0
    f1 = 1.0
    fint = (1 - np.exp(-alf)) * 0.05
    sumint = 0.0
    for i in range(1, 21):
        x2 = -np.log(1 - i * fint) / alf if i < 20 else 1.0
        y2 = -(ko + ks) * lai * x2 + fhot * (1 - np.exp(-alf * x2)) / alf
        f2 = np.exp(y2)
        with np.errstate(invalid="ignore", divide="ignore"):   # LAI 0: masked by the caller
            sumint = sumint + (f2 - f1) * (x2 - x1) / (y2 - y1)
        x1, y1, f1 = x2, y2, f2
    tss = np.exp(-ks * lai)
    safe_lai = np.maximum(lai, 1e-12)
    return (np.where(no_hot, tss, f1), np.where(no_hot, (1 - tss) / (ks * safe_lai), sumint))


def foursail(rho, tau, lidf, lai, hspot, tts, tto, psi, rsoil):
    """Canopy top-of-canopy reflectance seen by the sensor, (samples,
    wavelengths). rho, tau, rsoil: (samples, wavelengths); lidf (samples,
    13); lai, hspot, sun zenith tts, view zenith tto and relative azimuth psi
    (deg): (samples,) arrays."""
    col = lambda v: np.asarray(v, float)[:, None]   # noqa: E731
    tts, tto, psi = (np.asarray(v, float) for v in (tts, tto, psi))
    cts, cto = np.cos(np.radians(tts)), np.cos(np.radians(tto))
    tants, tanto = np.tan(np.radians(tts)), np.tan(np.radians(tto))
    dso = np.sqrt(np.maximum(tants ** 2 + tanto ** 2
                             - 2 * tants * tanto * np.cos(np.radians(psi)), 0))
    ks = ko = bf = sob = sof = 0.0
    for i, ttl in enumerate(LEAF_ANGLES):
        chi_s, chi_o, frho, ftau = _volscatt(tts, tto, psi, np.full_like(tts, ttl))
        w = lidf[:, i]
        ks = ks + w * chi_s / cts
        ko = ko + w * chi_o / cto
        bf = bf + w * np.cos(np.radians(ttl)) ** 2
        sob = sob + w * frho * np.pi / (cts * cto)
        sof = sof + w * ftau * np.pi / (cts * cto)
    ks, ko, bf, sob, sof = (col(v) for v in (ks, ko, bf, sob, sof))
    lai, hspot, dso = col(lai), col(hspot), col(dso)
    sdb, sdf = 0.5 * (ks + bf), 0.5 * (ks - bf)
    dob, dof = 0.5 * (ko + bf), 0.5 * (ko - bf)
    ddb, ddf = 0.5 * (1 + bf), 0.5 * (1 - bf)
    sigb = ddb * rho + ddf * tau
    sigf = ddf * rho + ddb * tau
    att = 1 - sigf
    m = np.sqrt(np.maximum((att + sigb) * (att - sigb), 0))
    sb, sf = sdb * rho + sdf * tau, sdf * rho + sdb * tau
    vb, vf = dob * rho + dof * tau, dof * rho + dob * tau
    w = sob * rho + sof * tau
    e1 = np.exp(-m * lai)
    e2 = e1 ** 2
    rinf = (att - m) / sigb
    rinf2 = rinf ** 2
    re = rinf * e1
    denom = 1 - rinf2 * e2
    j1ks, j2ks = _j1(ks, m, lai), _j2(ks, m, lai)
    j1ko, j2ko = _j1(ko, m, lai), _j2(ko, m, lai)
    ps, qs = (sf + sb * rinf) * j1ks, (sf * rinf + sb) * j2ks
    pv, qv = (vf + vb * rinf) * j1ko, (vf * rinf + vb) * j2ko
    tdd = (1 - rinf2) * e1 / denom
    rdd = rinf * (1 - e2) / denom
    tsd = (ps - re * qs) / denom
    tdo, rdo = (pv - re * qv) / denom, (qv - re * pv) / denom
    tss, too = np.exp(-ks * lai), np.exp(-ko * lai)
    z = _j2(ks, ko, lai)
    g1, g2 = (z - j1ks * too) / (ko + m), (z - j1ko * tss) / (ks + m)
    t1 = (vf * rinf + vb) * g1 * (sf + sb * rinf)
    t2 = (vf + vb * rinf) * g2 * (sf * rinf + sb)
    t3 = (rdo * qs + tdo * ps) * rinf
    rsod = (t1 + t2 - t3) / (1 - rinf2)               # multiple scattering, bidirectional
    tsstoo, sumint = _hotspot_integral(ks, ko, lai, hspot, dso)
    rsos = w * lai * sumint                            # single scattering
    dn = 1 - rsoil * rdd
    rdot = rdo + tdd * rsoil * (tdo + too) / dn
    rsodt = rsod + ((tss + tsd) * tdo + (tsd + tss * rsoil * rdd) * too) * rsoil / dn
    rsot = rsos + tsstoo * rsoil + rsodt
    sun_elev = np.radians(90 - tts)[:, None]
    skyl = 0.847 - 1.61 * np.sin(sun_elev) + 1.04 * np.sin(sun_elev) ** 2
    out = skyl * rdot + (1 - skyl) * rsot
    return np.where(lai > 0, out, rsoil)
