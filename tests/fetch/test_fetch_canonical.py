"""canonical_url against the real URL shapes of jahia-notes §1.4-§1.6."""

from __future__ import annotations

import pytest

from iom_scrape.fetch import canonical_url

pytestmark = pytest.mark.timeout(30)

IOM_HOME = "https://www.iom.int/jahia/Jahia/lang/en/pid/1"
WEBDAV_ROOT = "https://www.iom.int/jahia/webdav/shared/shared/mainsite"

CASES = [
    # IOM home as linked from elsewhere, and its spellings
    ("http://www.iom.int/jahia/Jahia/lang/en/pid/1", IOM_HOME),
    ("http://iom.int/jahia/Jahia/lang/en/pid/1", IOM_HOME),
    ("https://WWW.IOM.INT:443/jahia/Jahia/pid/1/lang/en", IOM_HOME),
    ("http://www.iom.int/jahia/Jahia/cache/offonce/lang/en/pid/1", IOM_HOME),
    ("http://www.iom.int/jahia/Jahia/op/edit/lang/en/pid/1", IOM_HOME),
    ("http://www.iom.int/jahia/Jahia/lang/en/pid/1;jsessionid=0A1B2C3D4E5F", IOM_HOME),
    ("http://www.iom.int/jahia/Jahia/lang/en/pid/1/home.html", IOM_HOME),
    ("http://www.iom.int/jahia/Jahia/lang/en/pid/1#top", IOM_HOME),
    ("http://www.iom.int/jahia/jesi/user_42/Jahia/lang/en/pid/1", IOM_HOME),
    ("http://www.iom.int/jahia/Jahia/pid/1?lang=en&cache=off", IOM_HOME),
    ("http://www.iom.int/jahia/Jahia/site/myjahiasite/lang/en/pid/1", IOM_HOME),
    ("http://www.iom.int/jahia/Jahia/containercache/off/entrystate/s/lang/en/pid/1", IOM_HOME),
    ("http://www.iom.int/jahia/Jahia/showrevdiff/1/validate/x/lang/en/pid/1", IOM_HOME),
    ("http://www.iom.int/jahia/Jahia/ctnscroll_pbnList/20_10/lang/en/pid/1", IOM_HOME),
    ("http://www.iom.int/jahia/Jahia/releaseLock/1/template/t/lang/en/pid/1", IOM_HOME),
    # lang is a separate dimension, defaulting to en
    (
        "http://www.iom.int/jahia/Jahia/lang/fr/pid/1",
        "https://www.iom.int/jahia/Jahia/lang/fr/pid/1",
    ),
    ("http://www.iom.int/jahia/Jahia/pid/1", IOM_HOME),
    # keyed shapes: the last key identifies the page, wherever the keywords sit
    ("/jahia/Jahia/pakistan", "/jahia/Jahia/lang/en/pakistan"),
    (
        "http://www.iom.int/jahia/Jahia/countries/pakistan/cache/offonce/lang/en",
        "https://www.iom.int/jahia/Jahia/lang/en/pakistan",
    ),
    (
        "http://www.iom.int/jahia/Jahia/lang/en/countries/pakistan/",
        "https://www.iom.int/jahia/Jahia/lang/en/pakistan",
    ),
    # pid wins over keys (other Jahia installs, jahia-notes §1.5)
    (
        "https://studies2.hec.fr/jahia/Jahia/cache/offonce/lang/en/mongin/pid/1072",
        "https://studies2.hec.fr/jahia/Jahia/lang/en/pid/1072",
    ),
    (
        "http://www.thenewpush.com/jahia/Jahia/cache/offonce/pid/46#10",
        "https://www.thenewpush.com/jahia/Jahia/lang/en/pid/46",
    ),
    # not hard-coded to /jahia/Jahia: another context/servlet, a non-default site kept
    (
        "http://www.un.int/wcm/content/site/palestine/cache/offonce/pid/11587",
        "https://www.un.int/wcm/content/site/palestine/lang/en/pid/11587",
    ),
    # entryId is the PBN item inside a list page; the query form of keywords folds in
    (
        "http://www.iom.int/jahia/Jahia/media/pbn/cache/offonce/lang/en?entryId=20316",
        "https://www.iom.int/jahia/Jahia/lang/en/pbn?entryId=20316",
    ),
    (
        "http://www.iom.int/jahia/Jahia/pid/2046/pbn.html?cache=off&lang=fr&entryId=20316",
        "https://www.iom.int/jahia/Jahia/lang/fr/pid/2046?entryId=20316",
    ),
    (
        "http://www.iom.int/jahia/Jahia?pid=7&engineName=core",
        "https://www.iom.int/jahia/Jahia/lang/en/pid/7",
    ),
    # an editing engine is not content: it keeps its engineName so it never poses as the page
    (
        "/jahia/Jahia/engineName/addcontainer/op/edit/pid/1?clistid=0",
        "/jahia/Jahia/engineName/addcontainer/lang/en/pid/1?clistid=0",
    ),
    # Pluto portlet segments end the path
    ("http://www.iom.int/jahia/Jahia/lang/en/pid/1/__ac0x3/x/y", IOM_HOME),
    # WebDAV files: both spellings, the intranet host, the new-site copies
    (
        "http://www.iom.int/jahia/webdav/site/myjahiasite/shared/shared/mainsite/graphics/"
        "interface/icons_buttons/blue_link_box.gif",
        f"{WEBDAV_ROOT}/graphics/interface/icons_buttons/blue_link_box.gif",
    ),
    (
        "/jahia/webdav/shared/shared/mainsite/published_docs/IOM-Pakistan-Flood-Appeal-August-2010.pdf",
        "/jahia/webdav/shared/shared/mainsite/published_docs/IOM-Pakistan-Flood-Appeal-August-2010.pdf",
    ),
    (
        "http://mnlintranettest:8091/jahia/webdav/site/myjahiasite/shared/shared/mainsite/"
        "media/photos/pbn/cn20110315_1.jpg",
        f"{WEBDAV_ROOT}/media/photos/pbn/cn20110315_1.jpg",
    ),
    (
        "https://www.iom.int/sites/g/files/tmzbdl486/files/jahia/webdav/shared/shared/mainsite/"
        "policy_and_research/migration-report.pdf",
        f"{WEBDAV_ROOT}/policy_and_research/migration-report.pdf",
    ),
    (
        "https://governingbodies.iom.int/system/files/jahia/webdav/shared/shared/mainsite/"
        "about_iom/en/council/council-report.pdf",
        f"{WEBDAV_ROOT}/about_iom/en/council/council-report.pdf",
    ),
    (
        "https://www.iom.int/jahia/webdav/shared/shared/mainsite/microsites/IDM/workshops/"
        "return_migration_challenges_120208/mixed%20migration_flows.pdf",
        f"{WEBDAV_ROOT}/microsites/IDM/workshops/return_migration_challenges_120208/"
        "mixed%20migration_flows.pdf",
    ),
    (
        "https://studies2.hec.fr/jahia/webdav/site/hec/shared/report.pdf;jsessionid=9F8E7D",
        "https://studies2.hec.fr/jahia/webdav/site/hec/shared/report.pdf",
    ),
    # new-site (Drupal) pages keep their path; hosts fold, analytics tags go
    (
        "http://iom.int/news/iom-races-deliver-uk-us-shelter-aid-pakistans-flood-victims",
        "https://www.iom.int/news/iom-races-deliver-uk-us-shelter-aid-pakistans-flood-victims",
    ),
    (
        "https://www.iom.int/press-room/official-statements?utm_source=x&page=3",
        "https://www.iom.int/press-room/official-statements?page=3",
    ),
    # an ordinary /site/ page elsewhere is not mistaken for a Jahia keyword pair
    ("https://example.org/site/about", "https://example.org/site/about"),
    # not http(s): untouched
    ("mailto:press@iom.int", "mailto:press@iom.int"),
]


@pytest.mark.parametrize(("url", "expected"), CASES)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(("url", "_"), CASES)
def test_canonical_url_is_idempotent(url: str, _: str) -> None:
    once = canonical_url(url)
    assert canonical_url(once) == once


def test_language_versions_stay_apart() -> None:
    english = canonical_url("http://www.iom.int/jahia/Jahia/pbn/lang/en?entryId=5")
    french = canonical_url("http://www.iom.int/jahia/Jahia/pbn/lang/fr?entryId=5")
    assert english != french
