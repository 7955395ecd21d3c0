"""Files, folders and zips read safely: one ReadResult per file, a problem per bad one."""

import io
import struct
import zipfile

from fanshelf.imports import sources
from fanshelf.imports.readers import MAX_FILE_BYTES


def story(title: str, body: str = "A short story.") -> bytes:
    return f"Title: {title}\n\n{body}\n".encode()


def make_zip(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def read(path):
    (source,) = sources.plan([path])
    return list(sources.read_source(source))


def titles(results) -> list[str]:
    return [work.title for result in results for work in result.works]


def problems(results) -> dict[str, str]:
    return {result.name: result.problem for result in results if result.problem}


def test_a_single_file_is_one_result_named_by_its_path(tmp_path):
    path = tmp_path / "gala.txt"
    path.write_bytes(story("The Gala"))
    (result,) = read(path)
    assert result.name == str(path) and result.problem == ""
    assert titles([result]) == ["The Gala"]
    assert result.size == path.stat().st_size


def test_a_missing_path_is_a_problem_not_an_exception(tmp_path):
    (result,) = read(tmp_path / "nowhere.txt")
    assert result.problem.startswith("cannot read it")
    assert sources.plan([tmp_path / "nowhere.txt"])[0].size == 0


def test_a_folder_reads_its_subfolders_in_order_and_skips_hidden_and_foreign_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.md").write_bytes(b"# Two\n\nSecond.")
    (tmp_path / "a.txt").write_bytes(story("One"))
    (tmp_path / "cover.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.txt").write_bytes(story("Hidden"))
    (tmp_path / "__MACOSX").mkdir()
    (tmp_path / "__MACOSX" / "._a.txt").write_bytes(b"\x00\x05\x16\x07")
    results = read(tmp_path)
    assert [result.name for result in results] == [f"{tmp_path}/a.txt", f"{tmp_path}/b/two.md"]
    assert titles(results) == ["One", "Two"]
    assert problems(results) == {}


def test_a_folder_counts_each_file_once_for_progress(tmp_path):
    (tmp_path / "a.txt").write_bytes(story("One"))
    (tmp_path / "b.zip").write_bytes(make_zip({"x.txt": story("X"), "y.txt": story("Y")}))
    (tmp_path / "c.txt").write_bytes(b"")  # a problem still counts its bytes
    (source,) = sources.plan([tmp_path])
    assert source.size == sum(p.stat().st_size for p in tmp_path.iterdir())
    results = list(sources.read_source(source))
    assert titles(results) == ["One", "X", "Y"]
    assert sum(result.size for result in results) == source.size


def test_an_empty_folder_says_there_is_nothing_to_import(tmp_path):
    (tmp_path / "cover.jpg").write_bytes(b"\xff\xd8\xff")
    (result,) = read(tmp_path)
    assert result.problem == "no files Fanshelf can import inside"


def test_a_zip_of_stories_gives_each_member_by_its_name_inside(tmp_path):
    path = tmp_path / "stories.zip"
    path.write_bytes(make_zip({"one.txt": story("One"), "more/two.html": b"<h1>Two</h1><p>x</p>"}))
    results = read(path)
    assert [result.name for result in results] == [f"{path}/one.txt", f"{path}/more/two.html"]
    assert titles(results) == ["One", "Two"]


def test_zip_members_outside_the_archive_are_refused_and_the_rest_imported(tmp_path):
    path = tmp_path / "evil.zip"
    path.write_bytes(
        make_zip(
            {
                "../../etc/evil.txt": story("Climb"),
                "/abs/evil.txt": story("Absolute"),
                "..\\windows\\evil.txt": story("Backslash"),
                "C:\\evil.txt": story("Drive"),
                "ok.txt": story("Fine"),
            }
        )
    )
    results = read(path)
    assert titles(results) == ["Fine"]
    refused = problems(results)
    assert len(refused) == 4
    assert all("unsafe name" in problem for problem in refused.values())


def test_a_colon_in_a_member_name_is_only_a_name(tmp_path):
    # Nothing is unpacked to disk; "Part 1: The Gala.txt" is a fine name for a story.
    path = tmp_path / "parts.zip"
    path.write_bytes(make_zip({"Part 1: The Gala.txt": story("The Gala")}))
    results = read(path)
    assert problems(results) == {}
    assert titles(results) == ["The Gala"]


def test_hidden_members_and_macos_resource_forks_in_a_zip_are_passed_over(tmp_path):
    path = tmp_path / "mac.zip"
    path.write_bytes(
        make_zip(
            {
                "folder/": b"",
                "folder/story.txt": story("Real"),
                "__MACOSX/folder/._story.txt": b"\x00\x05\x16\x07\x00\x02",
                "folder/.DS_Store": b"\x00\x00\x00\x01Bud1",
                "folder/cover.png": b"\x89PNG",
            }
        )
    )
    results = read(path)
    assert [result.name for result in results] == [f"{path}/folder/story.txt"]
    assert titles(results) == ["Real"]


def test_a_zip_bomb_member_is_refused_before_it_is_unpacked(tmp_path):
    path = tmp_path / "bomb.zip"
    path.write_bytes(make_zip({"bomb.txt": b"a" * (MAX_FILE_BYTES + 1), "fine.txt": story("Fine")}))
    results = read(path)
    assert titles(results) == ["Fine"]
    assert "zip bomb" in problems(results)[f"{path}/bomb.txt"]


def test_a_member_whose_header_understates_its_size_is_a_problem(tmp_path):
    # The header says 100 bytes; the data unpacks to far more. The reader must stop
    # at the bound, not trust the header.
    data = bytearray(make_zip({"liar.txt": b"b" * 500_000, "fine.txt": story("Fine")}))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = data.find(signature)
        data[start + offset : start + offset + 4] = struct.pack("<I", 100)
    path = tmp_path / "liar.zip"
    path.write_bytes(bytes(data))
    results = read(path)
    assert titles(results) == ["Fine"]
    assert "corrupt" in problems(results)[f"{path}/liar.txt"]


def test_a_zip_with_too_many_members_is_refused_whole(tmp_path):
    members = {f"{number}.txt": b"x" for number in range(sources.MAX_ARCHIVE_MEMBERS + 1)}
    path = tmp_path / "many.zip"
    path.write_bytes(make_zip(members, compression=zipfile.ZIP_STORED))
    (result,) = read(path)
    assert result.problem == "the zip holds 20,001 files; the limit is 20,000"
    assert result.works == []


def test_a_corrupt_zip_is_one_problem(tmp_path):
    whole = make_zip({"one.txt": story("One"), "two.txt": story("Two")})
    (tmp_path / "cut.zip").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "noise.zip").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    for name in ("cut.zip", "noise.zip"):
        (result,) = read(tmp_path / name)
        assert result.problem.startswith("a corrupt zip file"), result.problem


def test_a_member_with_broken_compressed_data_is_a_problem_and_the_rest_imported(tmp_path):
    data = bytearray(
        make_zip({"broken.txt": story("Broken", "words " * 2000), "fine.txt": story("Fine")})
    )
    data_start = 30 + len("broken.txt")  # after the first member's local header
    data[data_start + 2 : data_start + 12] = b"\xff" * 10
    path = tmp_path / "broken.zip"
    path.write_bytes(bytes(data))
    results = read(path)
    assert titles(results) == ["Fine"]
    assert problems(results)[f"{path}/broken.txt"].startswith("a corrupt zip member")


def test_an_encrypted_member_is_a_problem_not_a_crash(tmp_path):
    data = bytearray(make_zip({"secret.txt": story("Secret"), "fine.txt": story("Fine")}))
    # Set the "encrypted" flag on the first member, as a password-protected zip has it.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        (flags,) = struct.unpack("<H", data[start + offset : start + offset + 2])
        data[start + offset : start + offset + 2] = struct.pack("<H", flags | 0x1)
    path = tmp_path / "locked.zip"
    path.write_bytes(bytes(data))
    results = read(path)
    assert titles(results) == ["Fine"]
    assert problems(results)[f"{path}/secret.txt"]


def test_a_zip_inside_a_zip_is_read_but_three_deep_is_refused(tmp_path):
    inner = make_zip({"inner.txt": story("Inner")})
    middle = make_zip({"middle.txt": story("Middle"), "inner.zip": inner})
    outer = make_zip({"outer.txt": story("Outer"), "middle.zip": middle})
    path = tmp_path / "outer.zip"
    path.write_bytes(outer)
    results = read(path)
    assert titles(results) == ["Outer", "Middle"]
    assert problems(results) == {
        f"{path}/middle.zip/inner.zip": "a zip inside a zip inside a zip: too deep"
    }


def test_a_zip_of_nothing_importable_says_so(tmp_path):
    path = tmp_path / "pictures.zip"
    path.write_bytes(make_zip({"a.png": b"\x89PNG", "b.css": b"p {}"}))
    (result,) = read(path)
    assert result.problem == "no files Fanshelf can import inside"


def test_bad_members_of_a_zip_each_get_their_own_line(tmp_path):
    path = tmp_path / "mixed.zip"
    path.write_bytes(
        make_zip(
            {
                "empty.txt": b"",
                "binary.txt": bytes(range(256)) * 3,
                "good.md": b"# Good\n\nText.",
            }
        )
    )
    results = read(path)
    assert titles(results) == ["Good"]
    found = problems(results)
    assert set(found) == {f"{path}/empty.txt", f"{path}/binary.txt"}
    assert "empty" in found[f"{path}/empty.txt"]


def test_uploads_are_read_like_files():
    results = list(
        sources.read_uploads(
            [("a.txt", story("Uploaded")), ("pack.zip", make_zip({"b.txt": story("Zipped")}))]
        )
    )
    assert titles(results) == ["Uploaded", "Zipped"]
    assert [result.name for result in results] == ["a.txt", "pack.zip/b.txt"]


def test_a_plain_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"word " * (MAX_FILE_BYTES // 5 + 1))
    (result,) = read(path)
    assert result.problem.startswith("the file is too long")


def test_deflate_bomb_in_a_nested_zip_is_caught_too(tmp_path):
    bomb = make_zip({"bomb.txt": b"\x00" * (MAX_FILE_BYTES + 1)})
    path = tmp_path / "outer.zip"
    path.write_bytes(make_zip({"inner.zip": bomb, "ok.txt": story("Ok")}))
    results = read(path)
    assert titles(results) == ["Ok"]
    assert "zip bomb" in problems(results)[f"{path}/inner.zip/bomb.txt"]
