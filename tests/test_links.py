import pytest

from kg.links import clean_url, find_links, link_kind, parse_repo, repo_key


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://github.com/Owner/Repo", "github.com/owner/repo"),
        ("https://github.com/owner/repo/tree/main/sub/dir", "github.com/owner/repo"),
        ("https://github.com/owner/repo/blob/master/README.md", "github.com/owner/repo"),
        ("https://github.com/owner/repo.", "github.com/owner/repo"),
        ("https://github.com/owner/repo).", "github.com/owner/repo"),
        ("https://github.com/owner/repo}.", "github.com/owner/repo"),
        ("https://github.com/owner/repo.git", "github.com/owner/repo"),
        ("https://www.github.com/owner/repo", "github.com/owner/repo"),
        ("http://github.com/owner/repo/", "github.com/owner/repo"),
        ("github.com/owner/repo", "github.com/owner/repo"),
        ("www.github.com/owner/repo", "github.com/owner/repo"),
        ("https://github.com/owner/repo{https://github.com/owner/repo}", "github.com/owner/repo"),
        ("https://github.com/owner/repo{V^2L}.", "github.com/owner/repo"),
        ("https://github.com/owner/repo/{URL}.", "github.com/owner/repo"),
        ("https://gitlab.com/Group/Project/-/tree/main", "gitlab.com/group/project"),
        ("https://bitbucket.org/Team/Repo/src/master/", "bitbucket.org/team/repo"),
        ("https://github.com/owner/my.repo.git/", "github.com/owner/my.repo"),
    ],
)
def test_repo_key_edge_cases(url: str, key: str) -> None:
    assert repo_key(url) == key


@pytest.mark.parametrize(
    "url",
    ["https://owner.github.io/project", "https://github.com/owner", "https://github.com/topics/nlp",
     "https://example.org/github.com/a/b", "https://huggingface.co/datasets/a/b"],
)
def test_not_a_repository(url: str) -> None:
    assert parse_repo(url) is None


def test_owner_and_url_of_a_repository() -> None:
    ref = parse_repo("https://github.com/Some-Org/Some_Repo/tree/x")
    assert (ref.owner_key, ref.url) == ("github.com/some-org", "https://github.com/some-org/some_repo")


def test_find_links_in_text_with_latex_and_punctuation() -> None:
    text = ("Code: \\url{https://github.com/A/B}. See blue{https://github.com/c/d} and "
            "github.com/e/f{https://github.com/e/f}, our page https://x.github.io/p/. "
            "Data at (https://huggingface.co/datasets/u/v), e.g. more.")
    links = find_links(text)
    assert [link.repo for link in links if link.repo] == ["github.com/a/b", "github.com/c/d", "github.com/e/f"]
    assert [link.url for link in links if not link.repo] == [
        "https://x.github.io/p/", "https://huggingface.co/datasets/u/v"]
    for link in links:
        assert text[link.start:link.end] == link.url


def test_bare_project_page_and_no_false_links() -> None:
    assert [link.url for link in find_links("Visit geography-aware-ssl.github.io.")] == [
        "geography-aware-ssl.github.io"]
    assert find_links("We use e.g. ResNet-50, i.e. a CNN, at 3.5 fps and v1.2 of it.") == []


def test_clean_url_keeps_balanced_parentheses() -> None:
    assert clean_url("https://en.wikipedia.org/wiki/X_(y))") == "https://en.wikipedia.org/wiki/X_(y)"


@pytest.mark.parametrize(
    ("url", "kind"),
    [("https://huggingface.co/datasets/a/b", "huggingface-dataset"), ("https://huggingface.co/a/b", "huggingface-model"),
     ("https://a.github.io/x", "project-page"), ("https://arxiv.org/abs/1", "publication"),
     ("https://example.org", "web")],
)
def test_link_kind(url: str, kind: str) -> None:
    assert link_kind(url) == kind
