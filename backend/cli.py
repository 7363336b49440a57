"""Command line: `python -m backend serve|users|tiles|simulate-lake|job-script` (run from
the repository root). See backend/README.md."""
import argparse
import json
import logging
import sys
from datetime import date
from pathlib import Path

from .config import Settings, default_store_url


def main(argv=None):
    args = _parser().parse_args(argv)
    return args.func(args)


def _parser():
    p = argparse.ArgumentParser(prog="python -m backend", description=__doc__)
    sub = p.add_subparsers(required=True)

    s = sub.add_parser("serve", help="run the service")
    s.add_argument("--lake", type=Path, help="data lake root (<lake>/tiles/<TILE>/...)")
    s.add_argument("--results", type=Path, help="results root (shared with the workers)")
    s.add_argument("--store", help="SQLAlchemy URL: sqlite:///PATH or "
                                   "postgresql://user@host:port/db (default: "
                                   "backend/var/jobs.sqlite, the same as `users`)")
    s.add_argument("--scheduler", default="local",
                   help="local (in-process LocalCluster), pbs, slurm, or tls://host:port")
    s.add_argument("--workers", type=int, default=0,
                   help="local workers, or the most PBS/Slurm jobs (0: automatic)")
    s.add_argument("--threads-per-worker", type=int, default=1)
    s.add_argument("--jobqueue-config", type=Path,
                   help="JSON file of PBSCluster/SLURMCluster options (queue, account...)")
    s.add_argument("--retries", type=int, default=2, help="retries of a failing tile")
    s.add_argument("--bind", default="127.0.0.1:8000", help="HOST:PORT (127.0.0.1:8000)")
    s.add_argument("--public-url", default="", help="base URL of links, behind a proxy")
    s.add_argument("--tls-ca-file", help="Dask TLS: CA certificate (PEM)")
    s.add_argument("--tls-cert", help="Dask TLS: certificate of the service and workers (PEM)")
    s.add_argument("--tls-key", help="Dask TLS: its private key (PEM)")
    s.add_argument("--group", help="a group that may read the results and the store")
    s.add_argument("--max-body-bytes", type=int, help="largest request body (1 MiB)")
    s.add_argument("--tile-slots", type=int,
                   help="tiles handed to Dask at once (0: the cluster's threads)")
    s.add_argument("--max-running-tiles-per-user", type=int, help="0: no cap")
    s.add_argument("--max-active-jobs-per-user", type=int, help="beyond: 429 (20)")
    s.add_argument("--allow-internal-refs", action="store_true",
                   help="inputs by reference may name private network addresses")
    s.set_defaults(func=_serve)

    u = sub.add_parser("users", help="create, revoke, list users")
    u.add_argument("action", choices=["add", "revoke", "list"])
    u.add_argument("name", nargs="?")
    u.add_argument("--store", help="SQLAlchemy URL of the store")
    u.add_argument("--group", help="a group that may read the store")
    u.set_defaults(func=_users)

    t = sub.add_parser("tiles", help="the tiles an area touches (JSON area, or france)")
    t.add_argument("area", nargs="?", default="france")
    t.set_defaults(func=_tiles)

    m = sub.add_parser("simulate-lake", help="write a simulated data lake (tests, demos)")
    m.add_argument("lake", type=Path)
    m.add_argument("--product", default="snow_cover",
                   help="the product whose scene generator makes every tile")
    m.add_argument("--tiles", default="31TCJ,31TDJ,30TYP,31TCH",
                   help="comma-separated tile ids of France's grid")
    m.add_argument("--size", type=int, help="scene size in pixels (the product's default)")
    m.add_argument("--start", type=date.fromisoformat,
                   help="first day (snow_cover: 2017-12-01; crop_carbon)")
    m.add_argument("--end", type=date.fromisoformat,
                   help="last day (snow_cover: 2018-02-28; crop_carbon)")
    m.add_argument("--year", type=int, help="the simulated year (scenes of one season)")
    m.add_argument("--seed", type=int, default=0)
    m.set_defaults(func=_simulate_lake)

    j = sub.add_parser("job-script", help="print the PBS/Slurm worker job script")
    j.add_argument("kind", choices=["pbs", "slurm"])
    j.add_argument("--jobqueue-config", type=Path)
    j.add_argument("--tls-ca-file")
    j.add_argument("--tls-cert")
    j.add_argument("--tls-key")
    j.set_defaults(func=_job_script)
    return p


def _settings(args):
    settings = Settings(scheduler=args.scheduler, workers=args.workers,
                        threads_per_worker=args.threads_per_worker, retries=args.retries,
                        public_url=args.public_url.rstrip("/"))
    if args.lake:
        settings.lake = args.lake.resolve()
    if args.results:
        settings.results = args.results.resolve()
    if args.store:
        settings.store_url = args.store
    if args.jobqueue_config:
        settings.jobqueue = json.loads(args.jobqueue_config.read_text())
    for name in ("tls_ca_file", "tls_cert", "tls_key", "group", "max_body_bytes",
                 "tile_slots", "max_running_tiles_per_user", "max_active_jobs_per_user"):
        if getattr(args, name) is not None:
            setattr(settings, name, getattr(args, name))
    settings.allow_internal_refs = settings.allow_internal_refs or args.allow_internal_refs
    return settings


def _serve(args):
    import uvicorn

    from .app import create_app
    from .cluster import connect, tile_slots
    from .errors import ConfigError
    from .private import apply_umask, private_cache, private_dir, secure_store
    from .runner import JobRunner
    from .store import Store

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = _settings(args)
    apply_umask(settings.group)          # before the store, results and local workers
    private_dir(settings.results, settings.group)
    private_cache(settings.results)
    host, _, port = args.bind.rpartition(":")
    store = Store(settings.store_url)
    secure_store(store.url, settings.group)
    try:
        client, cluster = connect(settings.scheduler, settings.workers,
                                  settings.threads_per_worker, settings.jobqueue,
                                  (settings.tls_ca_file, settings.tls_cert, settings.tls_key),
                                  settings.results / ".dask-tls")
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        runner = JobRunner(store, client, settings, tile_slots(client, settings))
        app = create_app(settings, store, runner)
        logging.getLogger("chainon.backend").info(
            "serving on http://%s:%s, lake %s, results %s, Dask %s", host or "127.0.0.1",
            port, settings.lake, settings.results, client.scheduler.address)
        uvicorn.run(app, host=host or "127.0.0.1", port=int(port), log_level="warning",
                    backlog=4096, timeout_keep_alive=30)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return 0


def _users(args):
    from .private import apply_umask, secure_store
    from .store import Store
    apply_umask(args.group)
    store = Store(args.store or default_store_url())
    secure_store(store.url, args.group)
    try:
        if args.action == "list":
            for user in store.users():
                print(f"{user.name}\t{'revoked' if user.revoked else 'active'}")
        elif not args.name:
            raise ValueError("give a user name")
        elif args.action == "add":
            print(store.add_user(args.name))     # shown once: only its hash is stored
        else:
            store.revoke_user(args.name)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _tiles(args):
    from .errors import InvalidInput
    from .tiles import resolve_area
    area = args.area if args.area.strip()[:1] in "[{" else json.dumps(args.area)
    try:
        print(" ".join(resolve_area(json.loads(area))))
    except InvalidInput as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _simulate_lake(args):
    """Synthetic scenes of a product at the tiles' real UTM positions (SYNTHETIC
    DATA); prints the period to submit."""
    from chainon.core.scenes.lake import SCENES, make_lake

    from .errors import InvalidInput
    from .tiles import check_tiles, grid
    options = {k: getattr(args, k) for k in ("size", "start", "end", "year")
               if getattr(args, k) is not None}
    try:
        if args.product not in SCENES:
            raise InvalidInput(f"Unknown product {args.product}; one of {', '.join(SCENES)}.")
        tiles = check_tiles(args.tiles.split(","))
        scenes = make_lake(args.product, args.lake, {t: grid()[t].origin for t in tiles},
                           seed=args.seed, **options)
    except (InvalidInput, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    scene = next(iter(scenes.values()))
    print(f"simulated {args.product} lake of {len(tiles)} tiles in {args.lake}, "
          f"period {scene.start} {scene.end}")
    return 0


def _job_script(args):
    from .cluster import jobqueue_cluster, security_from_files
    from .errors import ConfigError
    options = json.loads(args.jobqueue_config.read_text()) if args.jobqueue_config else {}
    tls = (args.tls_ca_file, args.tls_cert, args.tls_key)
    try:
        security = security_from_files(*tls) if any(tls) else None
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    cluster = jobqueue_cluster(args.kind, options, security)
    try:
        print(cluster.job_script())
    finally:
        cluster.close()
    return 0
