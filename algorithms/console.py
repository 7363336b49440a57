"""Chaînon under qgis_process (a terminal): help as plain text, each error
printed once."""
import ctypes
import re
import sys
from html import unescape

from qgis.core import Qgis, QgsApplication
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, QObject

_echo = []   # the message-log slot of echo_errors_once, kept alive


def in_terminal():
    return QgsApplication.platform() == "qgis_process"


def plain_text(html):
    """Readable text from the help's small HTML: headings and paragraphs on
    lines of their own, list items as "- ", no tags, no entities."""
    text = re.sub(r"\s*<h\d>(.*?)</h\d>\s*", r"\n\n\1\n", html)
    text = re.sub(r"\s*<li>\s*", "\n- ", text)
    text = re.sub(r"\s*</p>\s*<p>\s*", "\n\n", text)
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    return unescape(text).strip()


def for_display(html, lead=""):
    """The help as the caller shows it: HTML in QGIS; text in a terminal,
    without `lead` (the short description qgis_process prints just before)."""
    if not in_terminal():
        return html
    text = plain_text(html)
    return text[len(lead):].lstrip() if lead and text.startswith(lead) else text


def echo_errors_once():
    """qgis_process prints each failure three times: as "ERROR:" from its
    feedback, plus twice more by echoing every critical message of the
    message log, where Processing also logs the same failure. Replaces that
    echo (qgis_process only) by one that leaves out Processing's copies;
    other critical messages (plugins, providers) are still printed. Every
    other listener of the message log stays connected."""
    if not in_terminal() or _echo:
        return
    log = QgsApplication.messageLog()
    if not _disconnect_receiver(log, "messageReceived(QString,QString,Qgis::MessageLevel)",
                                QgsApplication.instance()):
        return      # qgis_process's echo not found: left as it is
    signal = log.messageReceived[str, str, Qgis.MessageLevel]

    processing = {QCoreApplication.translate(context, "Processing")
                  for context in ("QObject", "QgsProcessingFeedback")} | {"Processing"}

    def echo(message, tag, level):
        if level == Qgis.MessageLevel.Critical and tag not in processing \
                and "DeprecationWarning:" not in message:
            print(message, file=sys.stderr, flush=True)

    signal.connect(echo)
    _echo.append(echo)


def _disconnect_receiver(sender, signal, receiver):
    """Disconnects `sender`'s `signal` from `receiver` only; True if one was.
    qgis_process connects its echo as a lambda whose receiver is the
    application (qgsprocess.cpp), which PyQt cannot name: Qt's
    QObject::disconnect(sender, signal, receiver, nullptr), not exposed by
    PyQt, is called through the Qt library (Itanium C++ names: Linux, macOS;
    elsewhere nothing is disconnected)."""
    try:
        qt = ctypes.CDLL(sys.modules[QObject.__module__].__file__)
        disconnect = qt["_ZN7QObject10disconnectEPKS_PKcS1_S3_"]
    except (OSError, AttributeError, KeyError):
        return False
    disconnect.restype = ctypes.c_bool
    disconnect.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_char_p]
    return disconnect(sip.unwrapinstance(sender), b"2" + signal.encode(),   # 2: SIGNAL()'s code
                      sip.unwrapinstance(receiver), None)
