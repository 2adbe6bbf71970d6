"""Web pages as documents: HTML laid out by headless Chromium, captured as page-sized images.

Chromium never reaches the network itself. Every request a page makes is intercepted
(Playwright's routing) and answered here: the page's own HTML from the stored bytes, every
other resource through app/ingest/fetch.py's guard (each hop checked, public addresses and
allowed ports only, size and time limits), or refused. Underneath that, the browser has no
way out of its own: it runs in a network namespace of its own where `unshare -n` works, and
always with a host resolver that answers nothing (IP literals included) and WebRTC held to
proxied UDP (there is no proxy), so WebSockets, prefetches, pings and anything else routing
does not see fail. Service workers are blocked and downloads refused; JavaScript runs, within
the page's time limit. An uploaded HTML file (no URL) loads nothing but `data:` URIs.

The page is laid out at a fixed width (a desktop layout), captured down to a maximum height
and cut into page-sized slices (US Letter's proportions); each slice's text is the text laid
out in it, read from the DOM with each text node's position. One browser serves a process,
started at the first page and started again if it dies; each page gets a fresh context.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import shlex
import shutil
import tempfile
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag

import httpx

from app.errors import ErrorCode, PaliError
from app.ingest.convert import network_isolation
from app.ingest.errors import BadDocument
from app.ingest.fetch import UrlPolicy, fetch_resource, new_client
from app.ingest.sizing import fit_scale

if TYPE_CHECKING:
    from playwright.async_api import Browser as PlaywrightBrowser
    from playwright.async_api import BrowserContext, Page, Playwright, Request, Route

log = logging.getLogger(__name__)

CHROMIUM_PACKAGE = "chromium"
# Where an uploaded HTML file (no URL) is laid out: a name that can never resolve.
UPLOADED_PAGE_URL = "https://uploaded-page.invalid/"
CHROMIUM_ARGS = (
    # No name (nor IP literal) resolves: whatever escapes routing fails before it connects.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    # WebRTC's STUN/TURN traffic bypasses the resolver; this keeps it off UDP entirely.
    "--force-webrtc-ip-handling-policy",
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
    "--no-pings",
    "--disable-dev-shm-usage",  # containers have a small /dev/shm
    "--mute-audio",
)
# Request headers a subresource fetch passes on; the browser's others stay in the browser.
FORWARDED_REQUEST_HEADERS = ("accept", "accept-language", "user-agent")
# Response headers that describe the transfer, not the resource (httpx decoded the body).
DROPPED_RESPONSE_HEADERS = frozenset(
    {
        "content-encoding",
        "content-length",
        "transfer-encoding",
        "connection",
        "keep-alive",
        "set-cookie",
        "set-cookie2",
        "location",
        "alt-svc",
        "strict-transport-security",
    }
)
FETCH_CONCURRENCY = 6  # subresources fetched at once, per page
SCROLL_PAUSE_MS = 40  # per viewport while scrolling through, so lazy content loads


@dataclass(frozen=True)
class WebPageOptions:
    chromium: str = "chromium"  # the program, by name (looked up on PATH) or path
    width: int = 1280  # CSS px: the viewport's width, a desktop layout
    page_height: int = 1656  # CSS px: a slice (US Letter's proportions at `width`)
    max_pages: int = 20  # the page is captured down to this many slices at most
    timeout_s: float = 30.0  # load and settle; the capture itself gets as long again
    settle_s: float = 3.0  # after `load`, at most this long for the network to go quiet
    resource_max_bytes: int = 16 * 1024 * 1024  # one subresource
    total_max_bytes: int = 64 * 1024 * 1024  # every subresource of a page together
    max_resources: int = 300  # subresources fetched per page; later ones are refused
    isolate_network: bool = True  # a network namespace of its own, where one can be made


@dataclass(frozen=True)
class Capture:
    """A page as Chromium laid it out: one PNG screenshot and its text per slice."""

    images: list[bytes]
    texts: list[str | None]
    fetched: list[str]  # subresources fetched, by URL
    refused: list[str]  # requests refused, each with the reason


def require_chromium(options: WebPageOptions) -> str:
    """The path of Chromium, or UNSUPPORTED_MEDIA_TYPE saying what to install."""
    found = shutil.which(options.chromium)
    if found is None:
        raise PaliError(
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            "Web pages (HTML) are rendered with headless Chromium, which is not installed on "
            f"this server: install it (`apt-get install {CHROMIUM_PACKAGE}`) or set "
            "PALIAPI_CHROMIUM to its program; or upload a PDF of the page.",
        )
    return found


def device_scale(options: WebPageOptions, max_pixels: int) -> float:
    """The device pixel ratio that makes a full slice as large as the model takes, at most."""
    return fit_scale(options.width, options.page_height, max_pixels, cap=2.0)


def slice_bounds(height: int, options: WebPageOptions) -> list[int]:
    """Where a page `height` CSS px tall is cut: [0, page_height, ..., end]. At most
    `max_pages` slices; a sliver left at the end joins the slice before it."""
    end = min(max(height, 1), options.page_height * options.max_pages)
    cuts = list(range(0, end, options.page_height))
    if len(cuts) > 1 and end - cuts[-1] < options.page_height // 8:
        cuts.pop()
    return [*cuts, end]


# The page's full height, in CSS px.
_HEIGHT_JS = """() => Math.ceil(Math.max(
  document.documentElement ? document.documentElement.scrollHeight : 0,
  document.body ? document.body.scrollHeight : 0, 1))"""
# Scroll through the page a viewport at a time (lazy images load), then back to the top.
_SCROLL_JS = """async ([step, end, pause]) => {
  for (let y = step; y < end; y += step) {
    window.scrollTo(0, y);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  window.scrollTo(0, 0);
}"""
# The text laid out in each slice [bounds[i], bounds[i+1]): every visible text node, placed
# by its line boxes (a node across a cut is in both slices); nodes on one line are joined.
_TEXT_JS = """(bounds) => {
  const count = bounds.length - 1, end = bounds[count];
  const parts = Array.from({ length: count }, () => []);
  const last = new Array(count).fill(null);
  const root = document.body || document.documentElement;
  if (!root) return parts.map(() => "");
  const slice = (y) => { let i = 0; while (i < count - 1 && y >= bounds[i + 1]) i++; return i; };
  const visible = (el) => !el || !el.checkVisibility ||
    el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data.replace(/\\s+/g, " ");
    if (!text.trim() || !visible(node.parentElement)) continue;
    range.selectNodeContents(node);
    const rects = Array.from(range.getClientRects())
      .filter((r) => r.width > 0 && r.height > 0)
      .map((r) => ({ top: r.top + window.scrollY, bottom: r.bottom + window.scrollY }));
    if (!rects.length) continue;
    const slices = new Set();
    for (const r of rects) {
      if (r.top >= end || r.bottom <= 0) continue;
      const to = slice(Math.min(r.bottom, end) - 0.01);
      for (let i = slice(Math.max(r.top, 0)); i <= to; i++) slices.add(i);
    }
    const first = rects[0], final = rects[rects.length - 1];
    const middle = (first.top + first.bottom) / 2;
    for (const i of slices) {
      const sameLine = last[i] && middle >= last[i].top && middle <= last[i].bottom;
      parts[i].push(sameLine ? text : "\\n" + text);
      last[i] = final;
    }
  }
  return parts.map((p) => p.join("").split("\\n").map((l) => l.trim()).filter(Boolean).join("\\n"));
}"""


@dataclass
class _Job:
    """One page being captured: what it may fetch, and what it did."""

    html: bytes
    url: str | None  # None: an uploaded file, offline
    policy: UrlPolicy
    client: httpx.AsyncClient
    deadline: float
    served: bool = False
    bytes: int = 0
    fetched: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(FETCH_CONCURRENCY))


def _prepare_launch(chromium: str, isolate: bool) -> tuple[Path, str, bool]:
    """A scratch directory for the browser, the program Playwright starts, and whether that
    program has no network: where `unshare` works, a script that starts Chromium inside a
    network namespace of its own (Playwright starts one program)."""
    scratch = Path(tempfile.mkdtemp(prefix="paliapi-chromium-"))
    prefix = network_isolation() if isolate else ()
    if not prefix:
        return scratch, chromium, False
    wrapper = scratch / "chromium"
    command = shlex.join([*prefix, chromium])
    wrapper.write_text(f'#!/bin/sh\nexec {command} "$@"\n')
    wrapper.chmod(0o700)
    return scratch, str(wrapper), True


class Browser:
    """Headless Chromium for this process: started on first use, again after a crash."""

    def __init__(self, options: WebPageOptions, max_pixels: int, concurrency: int) -> None:
        self.options = options
        self.scale = device_scale(options, max_pixels)
        self.isolated = False  # whether the running browser has a network namespace
        self._pages = asyncio.Semaphore(concurrency)
        self._lock = asyncio.Lock()
        self._playwright: Playwright | None = None
        self._browser: PlaywrightBrowser | None = None
        self._scratch: Path | None = None

    async def capture(self, html: bytes, url: str | None, policy: UrlPolicy) -> Capture:
        """Lay out `html` as the page at `url` (None: an uploaded file) and capture it.

        BadDocument when the page does not load in time or crashes the browser."""
        from playwright.async_api import Error as PlaywrightError

        async with self._pages:
            browser = await self._launch()
            limit = self.options.timeout_s * 2 + 15  # a backstop: every step has its own limit
            try:
                async with asyncio.timeout(limit):
                    return await self._capture(browser, html, url, policy)
            except TimeoutError as exc:
                await self._reset()  # a page that wedges the browser must not keep it
                raise BadDocument(
                    f"The web page did not render within {limit:g} s (PALIAPI_WEB_PAGE_TIMEOUT_S)."
                ) from exc
            except PlaywrightError as exc:
                if not browser.is_connected():
                    await self._reset()
                    raise BadDocument(
                        "The browser crashed while rendering the web page; the page may be "
                        "too large or malformed."
                    ) from exc
                raise BadDocument(f"The web page could not be rendered ({exc.message}).") from exc

    async def _capture(
        self, browser: PlaywrightBrowser, html: bytes, url: str | None, policy: UrlPolicy
    ) -> Capture:
        options = self.options
        deadline = asyncio.get_running_loop().time() + options.timeout_s
        address = urldefrag(url)[0] if url else UPLOADED_PAGE_URL
        async with new_client(options.timeout_s) as client:
            job = _Job(html, url, policy, client, deadline)
            context = await browser.new_context(
                viewport={"width": options.width, "height": options.page_height},
                device_scale_factor=self.scale,
                service_workers="block",
                accept_downloads=False,
                user_agent=_user_agent(browser.version),
            )
            try:
                await context.route("**/*", lambda route: self._answer(route, job))
                await context.route_web_socket("**/*", lambda socket: socket.close())
                page = await context.new_page()
                page.set_default_timeout(options.timeout_s * 1000)
                session = await context.new_cdp_session(page)
                try:
                    capture = await self._lay_out(page, address, deadline)
                except BaseException:
                    # A script may still be spinning: stop it, or closing waits on it.
                    with contextlib.suppress(Exception):
                        async with asyncio.timeout(2):
                            await session.send("Runtime.terminateExecution")
                    raise
            finally:
                await self._dispose(context)
        if job.refused:
            log.info("web page %s: %d requests refused", address, len(job.refused))
        return Capture(*capture, fetched=job.fetched, refused=job.refused)

    async def _lay_out(
        self, page: Page, address: str, deadline: float
    ) -> tuple[list[bytes], list[str | None]]:
        """Load, settle and capture the page: its slices' images and texts."""
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        options = self.options
        try:
            await page.goto(address, wait_until="load", timeout=options.timeout_s * 1000)
        except PlaywrightTimeout as exc:
            raise BadDocument(
                f"The web page did not finish loading within {options.timeout_s:g} s "
                "(PALIAPI_WEB_PAGE_TIMEOUT_S)."
            ) from exc
        await self._settle(page, deadline)
        # The capture gets a budget of its own: as long again.
        budget = asyncio.timeout(options.timeout_s)
        try:
            async with budget:
                height = int(await page.evaluate(_HEIGHT_JS))
                bounds = slice_bounds(height, options)
                texts: list[str] = await page.evaluate(_TEXT_JS, bounds)
                images = [
                    await page.screenshot(
                        clip={"x": 0, "y": top, "width": options.width, "height": bottom - top},
                        full_page=True,
                        type="png",
                        animations="disabled",
                        caret="hide",
                    )
                    for top, bottom in itertools.pairwise(bounds)
                ]
        except (TimeoutError, PlaywrightTimeout) as exc:
            if isinstance(exc, TimeoutError) and not budget.expired():
                raise
            raise BadDocument(
                f"The web page's scripts kept it busy; it could not be captured within "
                f"{options.timeout_s:g} s (PALIAPI_WEB_PAGE_TIMEOUT_S)."
            ) from exc
        return images, [text or None for text in texts]

    async def _settle(self, page: Page, deadline: float) -> None:
        """Scroll through (lazy content loads), let the network go quiet, wait for fonts; all
        within the page's time left."""
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        loop = asyncio.get_running_loop()
        options = self.options

        def left() -> float:
            return max(0.5, deadline - loop.time())

        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(left()):
                height = int(await page.evaluate(_HEIGHT_JS))
                end = min(height, options.page_height * options.max_pages)
                await page.evaluate(_SCROLL_JS, [options.page_height, end, SCROLL_PAUSE_MS])
        with contextlib.suppress(PlaywrightTimeout):
            await page.wait_for_load_state(
                "networkidle", timeout=min(options.settle_s, left()) * 1000
            )
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(left()):
                await page.evaluate("() => document.fonts.ready.then(() => true)")

    async def _dispose(self, context: BrowserContext) -> None:
        """Close a page's context; a browser that cannot even do that is stopped."""
        try:
            async with asyncio.timeout(10):
                with contextlib.suppress(Exception):
                    await context.unroute_all(behavior="ignoreErrors")
                with contextlib.suppress(Exception):
                    await context.close()
        except TimeoutError:
            log.warning("a web page's browser context would not close; stopping Chromium")
            await self._reset()

    async def _answer(self, route: Route, job: _Job) -> None:
        """One request of the page: the document itself, a checked fetch, or a refusal."""
        request = route.request
        try:
            if request.is_navigation_request() and request.frame.parent_frame is None:
                if job.served:  # the page navigating away (a redirect, a script): refused
                    await self._refuse(route, job, "the page may not navigate away")
                    return
                job.served = True
                await route.fulfill(status=200, content_type="text/html", body=job.html)
                return
            reason = self._refusal(request, job)
            if reason is not None:
                await self._refuse(route, job, reason)
                return
            async with job.slots:
                time_left = job.deadline - asyncio.get_running_loop().time()
                if time_left <= 0:
                    await self._refuse(route, job, "the page's time is up")
                    return
                resource = await fetch_resource(
                    job.client,
                    request.url,
                    headers={
                        name: value
                        for name, value in (await request.all_headers()).items()
                        if name.lower() in FORWARDED_REQUEST_HEADERS
                    },
                    max_bytes=min(
                        self.options.resource_max_bytes, self.options.total_max_bytes - job.bytes
                    ),
                    time_limit=time_left,
                    policy=job.policy,
                )
            job.bytes += len(resource.body)
            job.fetched.append(request.url)
            await route.fulfill(
                status=resource.status,
                headers={
                    name: value
                    for name, value in resource.headers
                    if name.lower() not in DROPPED_RESPONSE_HEADERS
                },
                body=resource.body,
            )
        except PaliError as exc:
            await self._refuse(route, job, exc.message)
        except Exception as exc:  # the page closed meanwhile, or the fetch broke
            await self._refuse(route, job, f"{type(exc).__name__}: {exc}")

    def _refusal(self, request: Request, job: _Job) -> str | None:
        """Why a subresource request is refused before any fetch, or None."""
        if job.url is None:
            return "an uploaded page loads nothing from the network"
        if request.method != "GET":
            return f"{request.method} requests are not made"
        if not request.url.startswith(("http://", "https://")):
            return "only http(s) resources are fetched"
        if len(job.fetched) >= self.options.max_resources:
            return f"the page already fetched {self.options.max_resources} resources"
        if job.bytes >= self.options.total_max_bytes:
            return f"the page's resources already reached {self.options.total_max_bytes:,} bytes"
        return None

    @staticmethod
    async def _refuse(route: Route, job: _Job, reason: str) -> None:
        job.refused.append(f"{route.request.url}: {reason}")
        await _quietly(route.abort("blockedbyclient"))

    async def _launch(self) -> PlaywrightBrowser:
        async with self._lock:
            if self._browser is not None and self._browser.is_connected():
                return self._browser
            await self._shutdown()  # what is left of one that died
            from playwright.async_api import Error as PlaywrightError
            from playwright.async_api import async_playwright

            chromium = require_chromium(self.options)
            # Probing for network namespaces runs `unshare` (cached after the first time):
            # off the event loop, with the scratch directory's file I/O.
            scratch, program, isolated = await asyncio.to_thread(
                _prepare_launch, chromium, self.options.isolate_network
            )
            playwright = await async_playwright().start()
            try:
                browser = await playwright.chromium.launch(
                    executable_path=program,
                    args=list(CHROMIUM_ARGS),
                    env=_environment(scratch),
                    timeout=60_000,
                )
            except PlaywrightError as exc:
                await _quietly(playwright.stop())
                shutil.rmtree(scratch, ignore_errors=True)
                raise PaliError(
                    ErrorCode.INTERNAL_SERVER_ERROR,
                    f"Chromium ({chromium}) did not start: {exc.message.splitlines()[0]}",
                ) from exc
            self._playwright, self._browser, self._scratch = playwright, browser, scratch
            self.isolated = isolated
            log.info("started Chromium %s (network namespace: %s)", browser.version, isolated)
            return browser

    async def _reset(self) -> None:
        async with self._lock:
            await self._shutdown()

    async def _shutdown(self) -> None:
        browser, playwright, scratch = self._browser, self._playwright, self._scratch
        self._browser = self._playwright = self._scratch = None
        if browser is not None:
            await _quietly(browser.close())
        if playwright is not None:
            await _quietly(playwright.stop())
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)

    async def close(self) -> None:
        """Stop the browser (if one was started)."""
        await self._reset()


def _environment(scratch: Path) -> dict[str, str | float | bool]:
    """Chromium's whole environment: nothing of the service's (no secrets)."""
    return {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "HOME": str(scratch),
        "XDG_CONFIG_HOME": str(scratch / "config"),
        "XDG_CACHE_HOME": str(scratch / "cache"),
        "LANG": "C.UTF-8",
    }


def _user_agent(version: str) -> str:
    """A desktop Chrome's user agent: some sites turn away a `HeadlessChrome` one."""
    major = version.split(".", 1)[0]
    return (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        f"Chrome/{major}.0.0.0 Safari/537.36"
    )


async def _quietly(step: Awaitable[Any]) -> None:
    with contextlib.suppress(Exception):
        await step
