"""The job store on SQLite and on a real PostgreSQL server."""
import pytest

from backend.store import Store


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        return Store(f"sqlite:///{tmp_path / 'jobs.sqlite'}")
    return Store(request.getfixturevalue("postgres")["new_db"]("store_test"))


def test_users_have_hashed_revocable_tokens(store):
    token = store.add_user("alice")
    assert store.user_for_token(token).name == "alice"
    assert token not in {u.token_hash for u in store.users()}
    assert store.user_for_token(token + "x") is None
    with pytest.raises(ValueError):
        store.add_user("alice")
    store.revoke_user("alice")
    assert store.user_for_token(token) is None


def test_progress_and_tile_states_are_stored_as_they_advance(store):
    alice = store.user_for_token(store.add_user("alice"))
    bob = store.user_for_token(store.add_user("bob"))
    job = store.create_job(alice.id, "snow_cover", {"start": "2018-01-01"},
                           ["31TCJ", "31TDJ", "32TNN", "30TYP"])
    assert store.job(job.id, bob.id) is None and store.jobs(bob.id) == []
    store.set_running(job.id)
    store.mark_tile(job.id, "31TCJ", "done", outputs={"OUTPUT": "a.tif"})
    store.mark_tile(job.id, "32TNN", "failed", error="No data")
    again = Store(store.url).job(job.id, alice.id)          # a restarted service
    assert (again.status, again.progress, again.tiles_done, again.tiles_failed) == (
        "running", 50, 1, 1)
    assert again.started is not None and again.inputs == {"start": "2018-01-01"}
    states = {t.tile: (t.state, t.error, t.outputs) for t in store.tiles(job.id)}
    assert states["31TCJ"] == ("done", "", {"OUTPUT": "a.tif"})
    assert states["32TNN"] == ("failed", "No data", {})
    assert states["31TDJ"][0] == "planned"
    assert [j.id for j in store.active_jobs()] == [job.id]


def test_a_dismissed_job_stays_dismissed(store):
    alice = store.user_for_token(store.add_user("alice"))
    job = store.create_job(alice.id, "snow_cover", {}, ["31TCJ"])
    store.set_running(job.id)
    store.dismiss(job.id)
    assert not store.finish(job.id, "successful", "late runner")
    assert store.job(job.id).status == "dismissed" and store.active_jobs() == []


def test_non_finite_numbers_never_reach_the_store(store):
    alice = store.user_for_token(store.add_user("alice"))
    from sqlalchemy.exc import StatementError
    with pytest.raises((ValueError, StatementError), match="not JSON compliant"):
        store.create_job(alice.id, "snow_cover", {"params": {"ndsi_pass1": float("nan")}},
                         ["31TCJ"])
    assert store.jobs(alice.id) == []


def test_ids_and_filters_that_no_job_has_find_nothing(store):
    """Whatever a URL puts in a job id or a process filter (PostgreSQL refuses
    a NUL byte in a query), the answer is "no such job", never an error."""
    alice = store.user_for_token(store.add_user("alice"))
    job = store.create_job(alice.id, "snow_cover", {}, ["31TCJ"])
    for odd in ("\x00", f"{job.id}\x00", "a" * 300, job.id.upper(), "", "../x"):
        assert store.job(odd) is None and store.job(odd, alice.id) is None
    assert store.job(job.id, alice.id).id == job.id
    assert store.jobs(alice.id, ["\x00"]) == [] and store.jobs(alice.id, ["x\x00y"]) == []
    assert [j.id for j in store.jobs(alice.id, ["snow_cover", "\x00"])] == [job.id]
