"""Find links in text and normalise code-repository URLs.

Code hosts (GitHub, GitLab, Bitbucket) become repository keys ``host/owner/name``
(lowercase); every other URL is kept as written, minus trailing punctuation and
LaTeX remnants, and given a ``kind``.

>>> repo_key("https://www.github.com/Org/Repo.git/tree/main/src).")
'github.com/org/repo'
>>> [m.url for m in find_links("Code: github.com/a/b{https://github.com/a/b}. Page: x.github.io.")]
['github.com/a/b', 'x.github.io']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

CODE_HOSTS: dict[str, str] = {
    "github.com": "github.com",
    "gitlab.com": "gitlab.com",
    "bitbucket.org": "bitbucket.org",
}

# Paths under a code host that are not owner/name repositories.
_NOT_OWNERS = frozenset({"about", "features", "pricing", "orgs", "topics", "explore", "marketplace", "sponsors",
                         "settings", "login", "join", "search", "collections", "trending", "apps", "site"})

# A URL: with a scheme, with www., or a bare host with a well-known suffix followed by a path or end.
_URL_RE = re.compile(
    r"""(?ix)
    (?<![\w@/.-])
    (?:
        (?:https?|ftp)://[^\s<>"'`]+
      | www\.[^\s<>"'`]+
      | (?:[a-z0-9-]+\.)+(?:com|org|io|ai|net|edu|dev|co|me|info|page)(?:/[^\s<>"'`]*)?(?=[\s,;:.)\]}>"'`]|$)
    )
    """
)
_TRAILING = ".,;:!?)]}>'\"`*"
_LATEX_TAIL = re.compile(r"[{\\}].*$")


class Link(NamedTuple):
    """A link found in text: ``url`` as written (cleaned), its span, and its repository key if any."""

    url: str
    start: int
    end: int
    repo: str | None


@dataclass(frozen=True, slots=True)
class RepoRef:
    host: str
    owner: str
    name: str

    @property
    def key(self) -> str:
        return f"{self.host}/{self.owner}/{self.name}"

    @property
    def owner_key(self) -> str:
        return f"{self.host}/{self.owner}"

    @property
    def url(self) -> str:
        return f"https://{self.key}"


def clean_url(raw: str) -> str:
    """Cut LaTeX remnants (``{...}``, ``\\...``) and trailing punctuation from a URL as found in text.

    >>> clean_url("https://github.com/a/b{https://github.com/a/b}.")
    'https://github.com/a/b'
    >>> clean_url("https://example.org/x_(y)")
    'https://example.org/x_(y)'
    """
    url = _LATEX_TAIL.sub("", raw)
    while url and url[-1] in _TRAILING:
        # keep a closing bracket that closes one opened inside the URL
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def parse_repo(url: str) -> RepoRef | None:
    """The repository a URL points into, or None when it is not a code-host repository.

    >>> parse_repo("http://github.com/WangYueFt/rfs/").key
    'github.com/wangyueft/rfs'
    >>> parse_repo("https://gitlab.com/group/proj/-/tree/main").key
    'gitlab.com/group/proj'
    >>> parse_repo("https://user.github.io/project") is None
    True
    """
    text = clean_url(url.strip())
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text, flags=re.I)
    text = re.sub(r"^www\.", "", text, flags=re.I)
    parts = [p for p in re.split(r"/+", text) if p]
    if len(parts) < 3:
        return None
    host = CODE_HOSTS.get(parts[0].lower().split(":")[0])
    if host is None:
        return None
    owner = parts[1].lower()
    name = re.sub(r"\.git$", "", parts[2].split("#")[0].split("?")[0], flags=re.I).lower()
    name = name.rstrip(_TRAILING)
    if not owner or not name or owner in _NOT_OWNERS or not re.fullmatch(r"[\w.-]+", owner + name):
        return None
    return RepoRef(host, owner, name)


def repo_key(url: str) -> str | None:
    """``host/owner/name`` of a repository URL, or None."""
    ref = parse_repo(url)
    return ref.key if ref else None


def link_kind(url: str) -> str:
    """A coarse kind for a non-repository link.

    >>> link_kind("https://huggingface.co/datasets/x/y")
    'huggingface-dataset'
    >>> link_kind("https://x.github.io/p")
    'project-page'
    """
    u = url.lower()
    u = re.sub(r"^[a-z]+://", "", u)
    u = re.sub(r"^www\.", "", u)
    host = u.split("/", 1)[0]
    if host == "huggingface.co" or host == "hf.co":
        if "/datasets/" in u:
            return "huggingface-dataset"
        if "/spaces/" in u:
            return "huggingface-space"
        return "huggingface-model"
    if host.endswith(".github.io") or host.endswith(".gitlab.io") or host == "sites.google.com":
        return "project-page"
    if host in {"arxiv.org", "doi.org", "dx.doi.org", "aclanthology.org", "openreview.net"}:
        return "publication"
    if host in {"youtube.com", "youtu.be", "vimeo.com"}:
        return "video"
    if host in {"colab.research.google.com", "kaggle.com", "zenodo.org", "figshare.com", "drive.google.com"}:
        return "data-or-notebook"
    if host in CODE_HOSTS or host in {"git.io"}:
        return "code"
    return "web"


def find_links(text: str) -> list[Link]:
    """Every link in ``text``, in order, cleaned, with its repository key where it has one."""
    links: list[Link] = []
    for m in _URL_RE.finditer(text):
        url = clean_url(m.group(0))
        if not url or "." not in url:
            continue
        # a bare token like "e.g." or "i.e" is not a link
        if not re.search(r"[a-z0-9-]\.[a-z]{2,}", url, flags=re.I):
            continue
        links.append(Link(url, m.start(), m.start() + len(url), repo_key(url)))
    return links
