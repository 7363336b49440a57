"""The SQL store of users, jobs and per-tile states (SQLAlchemy 2): an
embedded SQLite file by default, PostgreSQL by URL. Durable state lives here,
not in Dask, so that a restarted service can resume its jobs."""
import hashlib
import json
import secrets
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (JSON, DateTime, Float, ForeignKey, Integer, String, Text, create_engine,
                        event, func, select, update)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

ACTIVE = ("accepted", "running")
TILE_PLANNED, TILE_DONE, TILE_FAILED = "planned", "done", "failed"


def now():
    return datetime.now(UTC)


def as_utc(value):
    """SQLite hands back naive datetimes: they were written in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def strict_json(value):
    """JSON columns hold standard JSON only: a NaN or an infinity that got
    past the API raises here rather than being stored (SQLite would keep
    it, PostgreSQL refuse it with an error)."""
    return json.dumps(value, allow_nan=False)


def hash_token(token):
    # Tokens are 256-bit random strings: a plain SHA-256 cannot be brute-forced,
    # so no slow password hash is needed, and lookups stay an indexed equality.
    return hashlib.sha256(token.encode()).hexdigest()


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    revoked: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Job(Base):
    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    process_id: Mapped[str] = mapped_column(String(64))
    inputs: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="accepted", index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    tiles_planned: Mapped[int] = mapped_column(Integer, default=0)
    tiles_done: Mapped[int] = mapped_column(Integer, default=0)
    tiles_failed: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    started: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    updated: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class TileState(Base):
    __tablename__ = "job_tiles"
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id"), primary_key=True)
    tile: Mapped[str] = mapped_column(String(8), primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default=TILE_PLANNED)
    error: Mapped[str] = mapped_column(Text, default="")
    outputs: Mapped[dict] = mapped_column(JSON, default=dict)
    finished: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)       # wall time of the run
    cpu_seconds: Mapped[float] = mapped_column(Float, default=0.0)   # its worker's CPU time


def normalize_url(url):
    """postgresql:// means psycopg 3 here (psycopg2 is not installed)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Store:
    def __init__(self, url):
        self.url = normalize_url(url)
        self.engine = self._engine(self.url)
        Base.metadata.create_all(self.engine)
        self.session = sessionmaker(self.engine, expire_on_commit=False)
        self._create_lock = threading.Lock()     # one service process creates jobs

    @staticmethod
    def _engine(url):
        if not url.startswith("sqlite"):
            # As many connections as request threads (40) may want at once.
            return create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=30,
                                 json_serializer=strict_json)
        path = url.split("///", 1)[-1]
        pool = {}
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            pool = {"pool_size": 20, "max_overflow": 30}
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                               json_serializer=strict_json, **pool)

        @event.listens_for(engine, "connect")
        def _wal(dbapi_connection, _):      # readers never wait for the runner's writes
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
        return engine

    # users
    def add_user(self, name):
        """Creates a user; returns the token (only its hash is kept)."""
        token = "chn_" + secrets.token_urlsafe(32)
        with self.session.begin() as s:
            if s.scalar(select(User).where(User.name == name)):
                raise ValueError(f"user {name!r} exists")
            s.add(User(name=name, token_hash=hash_token(token)))
        return token

    def revoke_user(self, name):
        with self.session.begin() as s:
            user = s.scalar(select(User).where(User.name == name))
            if user is None:
                raise ValueError(f"no user {name!r}")
            user.revoked = now()

    def users(self):
        with self.session() as s:
            return list(s.scalars(select(User).order_by(User.name)))

    def user_for_token(self, token):
        with self.session() as s:
            user = s.scalar(select(User).where(User.token_hash == hash_token(token)))
            return user if user is not None and user.revoked is None else None

    # jobs
    def create_job(self, user_id, process_id, inputs, tiles):
        job = Job(id=str(uuid.uuid4()), user_id=user_id, process_id=process_id,
                  inputs=inputs, tiles_planned=len(tiles), message="Accepted")
        with self.session.begin() as s:
            s.add(job)
            s.flush()
            s.add_all(TileState(job_id=job.id, tile=t) for t in tiles)
        return job

    def create_job_within(self, user_id, process_id, inputs, tiles, limit):
        """create_job, unless the user has `limit` active jobs already (None)."""
        with self._create_lock:
            if limit and self.active_count(user_id) >= limit:
                return None
            return self.create_job(user_id, process_id, inputs, tiles)

    def job(self, job_id, user_id=None):
        """The job, or None (also when it belongs to another user, or when
        job_id is no job id: PostgreSQL refuses a NUL byte in a query)."""
        if not is_job_id(job_id):
            return None
        with self.session() as s:
            job = s.get(Job, job_id)
            return job if job is not None and user_id in (None, job.user_id) else None

    def jobs(self, user_id, process_ids=None, statuses=None, created=(None, None)):
        """A user's jobs, newest first; filters as OGC's job list has them
        (created: an interval, either end open)."""
        query = select(Job).where(Job.user_id == user_id)
        if process_ids:
            process_ids = [p for p in process_ids if "\x00" not in p] or [""]
            query = query.where(Job.process_id.in_(process_ids))
        if statuses:
            query = query.where(Job.status.in_(statuses))
        if created[0] is not None:
            query = query.where(Job.created >= created[0])
        if created[1] is not None:
            query = query.where(Job.created <= created[1])
        with self.session() as s:
            return list(s.scalars(query.order_by(Job.created.desc(), Job.id)))

    def active_count(self, user_id):
        with self.session() as s:
            return s.scalar(select(func.count()).select_from(Job).where(
                Job.user_id == user_id, Job.status.in_(ACTIVE)))

    def failures(self, job_id):
        """The failed tiles of a job (a status read asks only for these)."""
        with self.session() as s:
            return list(s.scalars(select(TileState).where(
                TileState.job_id == job_id, TileState.state == TILE_FAILED)
                .order_by(TileState.tile)))

    def active_jobs(self):
        with self.session() as s:
            return list(s.scalars(select(Job).where(Job.status.in_(ACTIVE))
                                  .order_by(Job.created)))

    def dismissed_jobs(self):
        with self.session() as s:
            return list(s.scalars(select(Job).where(Job.status == "dismissed")))

    def tiles(self, job_id):
        with self.session() as s:
            return list(s.scalars(select(TileState).where(TileState.job_id == job_id)
                                  .order_by(TileState.tile)))

    def set_running(self, job_id):
        with self.session.begin() as s:
            s.execute(update(Job).where(Job.id == job_id, Job.status.in_(ACTIVE)).values(
                status="running", started=func.coalesce(Job.started, now()), updated=now(),
                message="Running"))

    def set_message(self, job_id, message, progress=None):
        values = {"message": message, "updated": now()}
        if progress is not None:
            values["progress"] = progress
        with self.session.begin() as s:
            s.execute(update(Job).where(Job.id == job_id, Job.status.in_(ACTIVE))
                      .values(**values))

    def mark_tile(self, job_id, tile, state, error="", outputs=None, seconds=0.0,
                  cpu_seconds=0.0):
        """Records a tile's end and the job's progress (tiles ended / planned,
        held below 100 until the mosaics are written)."""
        with self.session.begin() as s:
            row = s.get(TileState, (job_id, tile))
            row.state, row.error, row.outputs, row.finished = state, error, outputs or {}, now()
            row.seconds, row.cpu_seconds = seconds, cpu_seconds
            s.flush()
            counts = dict(s.execute(select(TileState.state, func.count())
                                    .where(TileState.job_id == job_id)
                                    .group_by(TileState.state)).all())
            done, failed = counts.get(TILE_DONE, 0), counts.get(TILE_FAILED, 0)
            job = s.get(Job, job_id)
            job.tiles_done, job.tiles_failed, job.updated = done, failed, now()
            if job.status in ACTIVE:
                job.progress = min(99, 100 * (done + failed) // max(1, job.tiles_planned))
                job.message = f"{done + failed} of {job.tiles_planned} tiles processed"

    def reset_tile(self, job_id, tile):
        """A tile marked done whose outputs have gone is planned again."""
        with self.session.begin() as s:
            row = s.get(TileState, (job_id, tile))
            row.state, row.error, row.outputs, row.finished = TILE_PLANNED, "", {}, None

    def finish(self, job_id, status, message):
        """Ends an active job; a job dismissed meanwhile stays dismissed."""
        values = {"status": status, "message": message, "finished": now(), "updated": now()}
        if status == "successful":
            values["progress"] = 100
        with self.session.begin() as s:
            result = s.execute(update(Job).where(Job.id == job_id, Job.status.in_(ACTIVE))
                               .values(**values))
            return result.rowcount == 1

    def dismiss(self, job_id):
        """Marks a job dismissed, running or ended (its results go too)."""
        with self.session.begin() as s:
            s.execute(update(Job).where(Job.id == job_id, Job.status != "dismissed").values(
                status="dismissed", message="Dismissed by its owner", updated=now(),
                finished=func.coalesce(Job.finished, now())))


def is_job_id(text):
    """A job id as the store makes them (a UUID's canonical text)."""
    try:
        return str(uuid.UUID(text)) == text
    except (ValueError, TypeError, AttributeError):
        return False
