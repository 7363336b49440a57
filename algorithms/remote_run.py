"""Running a product at the compute centre from a Processing algorithm:
submit, follow with progress (cancel dismisses the remote job), then fetch
the national results clipped to the user's extent into the outputs."""
import json
from dataclasses import asdict
from pathlib import Path

from qgis.core import (QgsCoordinateReferenceSystem, QgsCoordinateTransform,
                       QgsProcessingException, QgsProcessingParameterAuthConfig,
                       QgsProcessingParameterDefinition, QgsProcessingParameterEnum,
                       QgsProcessingParameterString, QgsProcessingUtils, QgsRectangle)

from ..core import products
from ..core.clip import clip_to_bounds
from ..remote import settings
from ..remote.client import ServiceError, follow
from ..remote.results import gdal_uri, mosaics
from .i18n import tr

LOCAL, REMOTE = 0, 1


HIDDEN = QgsProcessingParameterDefinition.Flag.FlagHidden


def add_parameters(alg):
    """TARGET and the compute-centre options, hidden, on every product
    algorithm: models and scripts saved before the "... at the compute centre"
    algorithms (algorithms/remote.py) still run at the compute centre."""
    alg.add(QgsProcessingParameterEnum(
        "TARGET", tr("Run on"), options=[tr("This computer"), tr("Compute centre")],
        defaultValue=LOCAL),
        tr("Kept for models and scripts saved before the compute-centre algorithms: use "
           "\"{product} at the compute centre\" instead.").format(product=alg.displayName()))
    add_service_parameters(alg)
    for name in ("TARGET", "AREA", "SERVICE_URL", "AUTHCFG"):
        definition = alg.parameterDefinition(name)
        definition.setFlags(definition.flags() | HIDDEN)


def add_area(alg):
    alg.add(QgsProcessingParameterString("AREA", tr("Compute-centre area"), optional=True),
            tr("Area of a compute-centre job: 'france' (metropolitan France and Corsica) or "
               "Sentinel-2 tiles separated by commas (31TCJ,31TCH); empty: the extent."))


def add_service_parameters(alg, area=True):
    if area:
        add_area(alg)
    alg.add(QgsProcessingParameterString("SERVICE_URL", tr("Compute-centre URL"),
                                         optional=True),
            tr("Address of the compute centre; empty: the one set in the plugin settings."),
            advanced=True)
    alg.add(QgsProcessingParameterAuthConfig("AUTHCFG", tr("Compute-centre authentication"),
                                             optional=True),
            tr("QGIS authentication configuration holding your token; empty: the one set in "
               "the plugin settings."), advanced=True)


def job_area(alg, parameters, context, bounds, crs_wkt):
    text = (alg.parameterAsString(parameters, "AREA", context) or "").strip()
    if text:
        parts = [p.strip() for p in text.split(",") if p.strip()]
        return parts[0] if len(parts) == 1 and parts[0].lower() == "france" else parts
    if bounds is None:
        raise QgsProcessingException(tr("A compute-centre job needs an area: give an extent, "
                                        "or 'france' or tile ids in the compute-centre area."))
    to_wgs84 = QgsCoordinateTransform(QgsCoordinateReferenceSystem.fromWkt(crs_wkt),
                                      QgsCoordinateReferenceSystem("EPSG:4326"),
                                      context.transformContext())
    r = to_wgs84.transformBoundingBox(QgsRectangle(*bounds))
    return {"bbox": [r.xMinimum(), r.yMinimum(), r.xMaximum(), r.yMaximum()],
            "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}


def chosen(alg, parameters, context):
    """True when the algorithm offers the choice and the compute centre is chosen."""
    return (alg.parameterDefinition("TARGET") is not None
            and alg.parameterAsEnum(parameters, "TARGET", context) == REMOTE)


def service_params(alg, parameters, context):
    """The product parameters a job sends: the fields of the dataclass a local
    run uses (alg.method_params, nested ones flattened) that the service
    accepts (core.products.param_fields), except those describing the user's
    own files (alg.local_params)."""
    params = alg.method_params(parameters, context)
    if params is None:
        return {}
    names = {f.name for f in products.param_fields(alg.product.id)} - set(alg.local_params)
    flat = {}
    for name, value in asdict(params).items():
        flat.update(value if isinstance(value, dict) else {name: value})
    return {k: v for k, v in flat.items() if k in names}


def run_remote(alg, parameters, context, feedback, progress):
    """Runs `alg.product` at the compute centre with the algorithm's own
    parameters (alg.method_params); returns {output key: local clipped COG},
    plus OUTPUT_FOLDER (holding the job's results document) when the
    algorithm has one."""
    bounds, crs, start, end = alg.extent_and_period(parameters, context)
    if start is None or end is None:
        raise QgsProcessingException(tr("A compute-centre job needs a start and an end date."))
    authcfg = alg.parameterAsString(parameters, "AUTHCFG", context) or settings.authcfg()
    client = settings.client(alg.parameterAsString(parameters, "SERVICE_URL", context) or None,
                             authcfg)
    if authcfg and client.token is None:
        raise QgsProcessingException(tr(
            "QGIS cannot read a token from the authentication configuration {authcfg}: check "
            "that it exists and that the master password of the authentication database is "
            "set (without a window, e.g. in qgis_process: the environment variable "
            "QGIS_AUTH_PASSWORD_FILE naming a file that holds it).").format(authcfg=authcfg))
    inputs = {"area": job_area(alg, parameters, context, bounds, crs),
              "start": start.isoformat(), "end": end.isoformat(),
              **service_params(alg, parameters, context)}
    try:
        job = client.execute(alg.product.id, inputs)
        feedback.pushInfo(tr("Compute-centre job {job} submitted.").format(job=job["jobID"]))
        final = follow(client, job["jobID"], progress.sub(0, 90))
        if final["status"] != "successful":
            raise QgsProcessingException(tr("The compute-centre job {job} ended {status}: "
                                            "{message}").format(job=job["jobID"],
                                                                status=final["status"],
                                                                message=final.get("message")))
        results = client.results(job["jobID"])
    except ServiceError as e:
        raise QgsProcessingException(str(e))
    out = {}
    if alg.parameterDefinition("OUTPUT_FOLDER") is not None:
        folder = Path(alg.parameterAsString(parameters, "OUTPUT_FOLDER", context))
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"job_{job['jobID']}.json").write_text(json.dumps(results, indent=1))
        out["OUTPUT_FOLDER"] = str(folder)
    hrefs = mosaics(results)
    keys = [o.key for o in products.main_outputs(alg.product.id)]
    for i, key in enumerate(keys):
        progress.percent(90 + 10 * i / len(keys))
        dest = alg.parameterAsOutputLayer(parameters, key, context)
        if not dest and i > 0 and _optional(alg, key):
            continue                     # an optional output not asked for
        dest = dest or QgsProcessingUtils.generateTempFilename(f"{key}.tif")
        out[key] = str(clip_to_bounds(gdal_uri(hrefs[key], client.token), dest, bounds, crs))
    return out


def _optional(alg, key):
    definition = alg.parameterDefinition(key)
    return bool(definition.flags() & QgsProcessingParameterDefinition.Flag.FlagOptional)
