"""Files from outside: the quiz loader and the CSV/XLSX importer of analysis/, directly and through the upload page.

Random and broken bytes give a list of problems or the documented DataFileError, never another exception.
"""

from __future__ import annotations

import io
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.io import DataFileError, SessionData, read_session_file
from app.services.quizfile import Problem, QuizSpec, parse_quiz_file
from tests.conftest import ROOT, EducatorActions, csrf_from
from tests.hostile.strategies import hostile_text, wrong_json

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
REAL_QUIZ = yaml.safe_load((ROOT / "quizzes" / "produksi-asi.yaml").read_text(encoding="utf-8"))

yamlish = st.one_of(
    st.binary(max_size=2000),
    hostile_text.map(lambda s: s.encode("utf-8", "surrogatepass")),
    wrong_json.map(lambda v: yaml.safe_dump(v, allow_unicode=True).encode("utf-8")),
    st.sampled_from(
        [
            b"",
            b"---\n",
            b"- a\n- b\n",
            b"id: [\n",
            b"\xff\xfe\x00a",
            b"a: &x [*x]\n",
            b"!!python/object/apply:os.system ['echo pwned']\n",
            b"id: produksi-asi\n" * 3,
        ]
    ),
)


def _mutations():
    """The real quiz with one field replaced by a value of the wrong type or removed."""
    paths = [
        ("id",),
        ("version",),
        ("title",),
        ("title", "id"),
        ("audience",),
        ("questions",),
        ("questions", 0),
        ("questions", 0, "key"),
        ("questions", 0, "type"),
        ("questions", 0, "options"),
        ("questions", 0, "answer"),
        ("questions", 1, "options", 0),
        ("questions", 2, "stem"),
    ]
    return st.tuples(st.sampled_from(paths), st.one_of(st.just("__delete__"), wrong_json))


def _mutate(data, path, value):
    import copy

    data = copy.deepcopy(data)
    node = data
    for step in path[:-1]:
        node = node[step]
    if value == "__delete__":
        if isinstance(node, dict):
            node.pop(path[-1], None)
        else:
            node.pop(path[-1])
    else:
        node[path[-1]] = value
    return data


def check_parse(tmp_path: Path, content: bytes, name: str = "produksi-asi.yaml"):
    path = tmp_path / name
    path.write_bytes(content)
    spec, problems = parse_quiz_file(path)
    assert (spec is None) == bool(problems)
    assert spec is None or isinstance(spec, QuizSpec)
    for problem in problems:
        assert isinstance(problem, Problem) and str(problem)
    return spec, problems


def test_quiz_loader_on_random_bytes(tmp_path):
    @SETTINGS
    @given(content=yamlish)
    def run(content):
        check_parse(tmp_path, content)

    run()


def test_quiz_loader_on_a_real_quiz_with_one_field_broken(tmp_path):
    @SETTINGS
    @given(change=_mutations())
    def run(change):
        path, value = change
        data = _mutate(REAL_QUIZ, path, value)
        _spec, problems = check_parse(tmp_path, yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))
        if value == "__delete__" and path in (("id",), ("title",), ("questions",)):
            assert problems

    run()


def test_the_quiz_loader_does_not_run_python_tags(tmp_path):
    spec, problems = check_parse(tmp_path, b"!!python/object/apply:os.system ['touch /tmp/h6_pwned']\n")
    assert spec is None and problems and not Path("/tmp/h6_pwned").exists()


# --- analysis/io.py -----------------------------------------------------------------------------

cells = st.one_of(
    hostile_text.filter(lambda s: "\n" not in s and "\r" not in s),
    st.integers(-10, 200).map(str),
    st.floats(allow_nan=True).map(str),
    st.just(""),
    st.sampled_from(["75,5", "1e3", "NaN", "inf", "-0", "0x10", "1_000", "=1+1"]),
)


def csv_text(header, rows, sep):
    return "\n".join(sep.join(r) for r in [header, *rows]).encode("utf-8", "surrogatepass")


csv_files = st.one_of(
    st.binary(max_size=2000),
    st.builds(
        csv_text,
        st.one_of(
            st.just(["participant", "pre", "post"]),
            st.just(["participant", "pre_q1", "post_q1"]),
            st.lists(cells, max_size=6),
        ),
        st.lists(st.lists(cells, max_size=6), max_size=12),
        st.sampled_from([",", ";", "\t"]),
    ),
)


def check_read(path: Path):
    try:
        data = read_session_file(path)
    except DataFileError as exc:
        message = str(exc)
    else:
        message = None
    if message is not None:
        assert message
        return None
    assert isinstance(data, SessionData)
    assert len(data.participants) == len(data.pre) == len(data.post)
    return data


def test_csv_importer_on_a_lone_carriage_return(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"participant,pre,post\r\x00")
    assert check_read(path) is None  # a clear DataFileError, not csv.Error


def test_csv_importer_on_bytes_that_no_codepage_knows(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"participant,pre,post\nA\x8d,1,2\n")
    assert check_read(path) is None  # a clear DataFileError, not UnicodeDecodeError


def test_csv_importer_on_random_files(tmp_path):
    @SETTINGS
    @given(content=csv_files)
    def run(content):
        path = tmp_path / "data.csv"
        path.write_bytes(content)
        check_read(path)

    run()


def test_xlsx_importer_on_broken_and_odd_workbooks(tmp_path):
    from openpyxl import Workbook

    @settings(max_examples=30, deadline=None)
    @given(
        content=st.one_of(
            st.binary(max_size=500),
            st.builds(lambda b: b"PK\x03\x04" + b, st.binary(max_size=300)),
            st.tuples(
                st.lists(cells, min_size=1, max_size=5), st.lists(st.lists(cells, max_size=5), max_size=6)
            ),
        )
    )
    def run(content):
        path = tmp_path / "data.xlsx"
        if isinstance(content, tuple):
            wb = Workbook()
            ws = wb.active
            try:
                for row in [content[0], *content[1]]:
                    ws.append(row)
                buffer = io.BytesIO()
                wb.save(buffer)
            except Exception:  # openpyxl refuses some control characters itself: not our importer
                return
            path.write_bytes(buffer.getvalue())
        else:
            path.write_bytes(content)
        check_read(path)

    run()


def test_upload_page_on_random_files(app, educator):
    actions = EducatorActions(app.test_client())
    actions.login()
    client = actions.client
    token = csrf_from(client.get("/reports/upload").text)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        content=csv_files,
        name=st.sampled_from(["data.csv", "data.xlsx", "data.exe", "../../x.csv", "<script>.csv"]),
        title=hostile_text,
    )
    def run(content, name, title):
        response = client.post(
            "/reports/upload",
            data={
                "csrf_token": token,
                "title": title,
                "max_score": "100",
                "lang": "id",
                "fmt": "docx",
                "data_file": (io.BytesIO(content), name),
            },
            content_type="multipart/form-data",
        )
        assert response.status_code < 500, response.text[:500]
        if response.status_code != 200:
            assert response.status_code in (400, 413, 422)
            assert 'class="error"' in response.text or 'class="lead"' in response.text  # form or error page

    run()
