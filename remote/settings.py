"""Where the compute centre is and who the user is: the URL in QGIS settings,
the token in the QGIS authentication database (never in plain settings)."""
from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsSettings

from .client import ProcessesClient

URL_KEY = "chainon/service_url"
AUTHCFG_KEY = "chainon/authcfg"
DEFAULT_URL = "http://127.0.0.1:8000"   # the service's default --bind


def service_url():
    return QgsSettings().value(URL_KEY, DEFAULT_URL)


def authcfg():
    return QgsSettings().value(AUTHCFG_KEY, "")


def save(url, authcfg_id):
    settings = QgsSettings()
    settings.setValue(URL_KEY, url)
    settings.setValue(AUTHCFG_KEY, authcfg_id or "")


def store_token(user, token, authcfg_id=None):
    """Stores a bearer token as a QGIS authentication configuration ('Basic':
    user name and the token as its password, encrypted by QGIS' master
    password); returns the configuration id."""
    cfg = QgsAuthMethodConfig("Basic")
    cfg.setName(f"Chaînon compute centre ({user})")
    cfg.setConfig("username", user)
    cfg.setConfig("password", token)
    manager = QgsApplication.authManager()
    ok = False
    if authcfg_id and authcfg_id in manager.configIds():
        cfg.setId(authcfg_id)
        ok = manager.updateAuthenticationConfig(cfg)
    if not ok:
        cfg.setId("")
        ok = manager.storeAuthenticationConfig(cfg)[0]
    if not ok:
        raise RuntimeError("QGIS could not store the token: set the master password of the "
                           "authentication database first.")
    return cfg.id()


def token(authcfg_id):
    """The token kept in an authentication configuration; None if unset."""
    return _stored(authcfg_id, "password")


def user_name(authcfg_id=None):
    """The user name kept with the token; None if unset."""
    return _stored(authcfg_id or authcfg(), "username")


def _stored(authcfg_id, key):
    if not authcfg_id:
        return None
    cfg = QgsAuthMethodConfig()
    if not QgsApplication.authManager().loadAuthenticationConfig(authcfg_id, cfg, True):
        return None
    return cfg.config(key) or None


def client(url=None, authcfg_id=None):
    """A client for the configured (or given) service and credentials."""
    return ProcessesClient(url or service_url(), token(authcfg_id or authcfg()))
