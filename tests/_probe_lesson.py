import pytest
from test_lesson_browser import shown, lecturer, served  # noqa
pytestmark = pytest.mark.browser
def test_probe(lecturer):
    page = lecturer
    f = shown(page).locator(".v-select:has(label:text-is('pause when'))").first
    print("HTML", f.evaluate("e => e.outerHTML")[:1500])
    f.click()
    print("MENUS", page.evaluate("[...document.querySelectorAll('.menuable__content__active')].map(m => m.outerHTML.slice(0,300))"))
