"""The Help button speaks the plugin's language: every English help page has
a French twin (resources/help/fr/) with the same commands and links, and
helpUrl() opens it when QGIS runs in French."""
import re
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import pytest
from qgis.core import QgsApplication, QgsSettings

HELP = Path(__file__).resolve().parents[1] / "resources" / "help"
ENGLISH = sorted(HELP.glob("*.html"))


def fixed_parts(html):
    """What a translation must not change: commands, links, parameter names."""
    return (re.findall(r"<pre>.*?</pre>", html, re.S), re.findall(r'href="([^"]+)"', html),
            sorted(set(re.findall(r"<code>(.*?)</code>", html))))


@pytest.mark.parametrize("page", ENGLISH, ids=lambda p: p.stem)
def test_every_english_page_has_its_french_twin(page):
    french = (HELP / "fr" / page.name).read_text(encoding="utf-8")
    assert '<html lang="fr">' in french
    assert fixed_parts(french) == fixed_parts(page.read_text(encoding="utf-8"))
    assert "Données réelles" in french or page.stem == "sample_data"
    assert {p.name for p in (HELP / "fr").glob("*.html")} == {p.name for p in ENGLISH}


@pytest.fixture
def french(qgis_app):
    settings = QgsSettings()
    before = {k: settings.value(k) for k in ("locale/overrideFlag", "locale/userLocale")}
    settings.setValue("locale/overrideFlag", True)
    settings.setValue("locale/userLocale", "fr_FR")
    yield
    for key, value in before.items():
        if value is None:
            settings.remove(key)
        else:
            settings.setValue(key, value)


def page_of(algorithm):
    return Path(url2pathname(urlparse(algorithm.helpUrl()).path))


def test_help_opens_the_french_page_under_a_french_qgis(provider, french):
    algorithms = [a for a in provider.algorithms() if hasattr(a, "help_page")]  # not models
    assert len(algorithms) >= 17          # 8 products, their compute-centre twins, sample data
    for algorithm in algorithms:
        page = page_of(algorithm)
        assert page.parent == HELP / "fr" and page.is_file(), algorithm.id()


def test_help_stays_english_under_an_english_qgis(provider, qgis_app):
    if QgsApplication.locale().startswith("fr"):
        pytest.skip("this QGIS runs in French")
    assert page_of(provider.algorithm("snow_cover")) == HELP / "snow_cover.html"
