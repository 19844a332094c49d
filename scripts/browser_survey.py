"""Fills a demo survey's public form in headless Chromium and checks what the server kept."""
import json, os, sys, urllib.request
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.common.by import By
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait
import shutil

base = os.environ["SDELKA_BASE"]
def api(path, token=None, body=None):
    request = urllib.request.Request(base + "/api/v1" + path, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json", **({"Authorization": "Bearer " + token} if token else {})})
    return json.load(urllib.request.urlopen(request))

token = api("/auth/login", body={"login": "admin", "password": "browser-admin-password"})["token"]
survey = api("/surveys", token)["items"][0]
waiting = api(f"/surveys/{survey['id']}/questionnaires?status=invited", token)["items"]
assert waiting, "the demo survey has questionnaires not yet answered"
link = waiting[0]["link"]

options = Options()
for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=390,844"):
    options.add_argument(flag)
# The Debian driver, named outright: selenium would otherwise look for one on the network.
driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"))
try:
    driver.get(link)
    why = driver.find_element(By.CSS_SELECTOR, "[data-question='why']")
    assert not why.is_displayed(), "the conditional question is hidden until 'no' is chosen"
    driver.find_element(By.CSS_SELECTOR, "input[name='q_nps'][value='3']").click()
    driver.find_element(By.CSS_SELECTOR, "input[name='q_satisfied'][value='false']").click()
    assert why.is_displayed(), "choosing 'no' shows the conditional question"
    driver.find_element(By.CSS_SELECTOR, "input[name='q_why.1']").click()
    for row in range(3):
        field = driver.find_element(By.CSS_SELECTOR, f"input[name='q_marks.{row}.0']")
        field.clear(); field.send_keys(str(3 + row % 3))
    driver.find_element(By.CSS_SELECTOR, "textarea[name='q_comment']").send_keys("Привозите по субботам")
    driver.find_element(By.CSS_SELECTOR, "form[data-survey] button[type=submit]").click()
    # The click starts the post; the redirect to the thank-you page comes a moment later.
    WebDriverWait(driver, 20).until(lambda d: "thanks=1" in d.current_url)
    assert "Спасибо" in driver.page_source
finally:
    driver.quit()

kept = [q for q in api(f"/surveys/{survey['id']}/questionnaires?per=500", token)["items"] if q["id"] == waiting[0]["id"]][0]
assert kept["status"] == "answered", kept
assert kept["answers"]["why"] == ["Сроки поставки"], kept["answers"]
assert kept["answers"]["satisfied"] is False and kept["answers"]["nps"] == 3, kept["answers"]
assert kept["answers"]["marks"]["Доставка"]["Оценка"] == 3, kept["answers"]
print("browser: the public survey form hid and showed its conditional question, and its answers were kept")
