"""Known cross-site scripting payloads, each armed with its own number.

Written for Fanshelf's XSS story from the well-known families (script tags, event
handlers, ``javascript:``/``data:`` URLs, srcdoc, CSS, encodings, markup a lax parser
repairs, mutation XSS, template injection, attribute and element breakouts). Where a
payload would run code it calls ``__xss(N)`` with its own number, so the story can
say which one got through; ``@@`` marks where the number goes. None is longer than a
guest's name may be (100 characters); the few with a comma cannot be tag names, since
commas separate tags.
"""

ARMED = "@@"

TEMPLATES = [
    # <script> in its many spellings
    "<script>__xss(@@)</script>",
    "<SCRIPT>__xss(@@)</SCRIPT>",
    "<script src='data:text/javascript,__xss(@@)'></script>",
    "<scr<script>ipt>__xss(@@)</scr</script>ipt>",
    "<<script>script>__xss(@@)<</script>/script>",
    "<script>__xss(@@)",
    "<script\x0c>__xss(@@)</script>",
    # breaking out of the element or attribute the text lands in
    '"><script>__xss(@@)</script>',
    "'><script>__xss(@@)</script>",
    "</title><script>__xss(@@)</script>",
    "</textarea><script>__xss(@@)</script>",
    "</script><script>__xss(@@)</script>",
    '" autofocus onfocus="__xss(@@)',
    "' autofocus onfocus='__xss(@@)",
    '" onmouseover="__xss(@@)" x="',
    # event handlers on img, svg, body, media and form widgets
    "<img src=x onerror=__xss(@@)>",
    '<img src="x" onerror="__xss(@@)">',
    "<IMG SRC=x OnErRoR=__xss(@@)>",
    "<img/src/onerror=__xss(@@)>",
    "<img src=x onerror=&#95;&#95;xss(@@)>",
    '<img src=x onerror="&#x5f;&#x5f;xss(@@)">',
    "<img src=x onerror=\\u005f_xss(@@)>",
    "<img src=x onerror=window['__x'+'ss'](@@)>",
    "<img src=x onerror=__xss(@@)",
    "<svg onload=__xss(@@)>",
    "<svg/onload=__xss(@@)",
    "<svg><script>__xss(@@)</script></svg>",
    "<svg><animate onbegin=__xss(@@) attributeName=x dur=1s>",
    "<svg><a xlink:href='javascript:__xss(@@)'><text y='9'>go</text></a></svg>",
    "<body onload=__xss(@@)>",
    "<body onpageshow=__xss(@@)>",
    "<details open ontoggle=__xss(@@)>",
    "<details/open/ontoggle=__xss(@@)><summary>s</summary></details>",
    "<input autofocus onfocus=__xss(@@)>",
    "<select autofocus onfocus=__xss(@@)></select>",
    "<textarea autofocus onfocus=__xss(@@)></textarea>",
    "<video><source onerror=__xss(@@)></video>",
    "<audio src=x onerror=__xss(@@)>",
    "<marquee onstart=__xss(@@)>m</marquee>",
    "<xss id=x tabindex=1 autofocus onfocus=__xss(@@)></xss>",
    "<div onmouseover='__xss(@@)'>hover</div>",
    # frames and srcdoc
    "<iframe src='javascript:__xss(@@)'></iframe>",
    "<iframe srcdoc='<script>parent.__xss(@@)</script>'></iframe>",
    "<iframe src='data:text/html,<script>parent.__xss(@@)</script>'>",
    "<object data='javascript:__xss(@@)'></object>",
    "<embed src='javascript:__xss(@@)'>",
    # javascript:, vbscript: and data: URLs in links, images and forms
    "<a href='javascript:__xss(@@)'>link</a>",
    "<a href='JaVaScRiPt:__xss(@@)'>link</a>",
    "<a href='&#106;avascript:__xss(@@)'>link</a>",
    "<a href='java&#x09;script:__xss(@@)'>link</a>",
    "<a href=' javascript:__xss(@@)'>link</a>",
    "<a href='vbscript:__xss(@@)'>link</a>",
    "<a href='data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='>link</a>",
    "<img src='javascript:__xss(@@)'>",
    "<img src='data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+'>",
    "<form action='javascript:__xss(@@)'><button>go</button></form>",
    "<button formaction='javascript:__xss(@@)'>go</button>",
    "javascript:__xss(@@)",
    # CSS
    "<div style='background-image:url(javascript:__xss(@@))'>css</div>",
    "<div style='width:expression(__xss(@@))'>css</div>",
    "<style>@import 'javascript:__xss(@@)';</style>",
    "<style>*{background:url('javascript:__xss(@@)')}</style>",
    "<link rel=stylesheet href='javascript:__xss(@@)'>",
    "<meta http-equiv='refresh' content='0;url=javascript:__xss(@@)'>",
    "<base href='javascript:__xss(@@)//'>",
    # encoded text that must stay text
    "&lt;script&gt;__xss(@@)&lt;/script&gt;",
    "&#60;img src=x onerror=__xss(@@)&#62;",
    "%3Cscript%3E__xss(@@)%3C/script%3E",
    "\\u003cscript\\u003e__xss(@@)\\u003c/script\\u003e",
    # mutation XSS: markup that changes meaning when parsed again
    "<noscript><p title='</noscript><img src=x onerror=__xss(@@)>'>",
    "<p title='</p><img src=x onerror=__xss(@@)>'>",
    "<!--<img src='--><img src=x onerror=__xss(@@)//'>",
    "<![CDATA[<script>__xss(@@)</script>]]>",
    "<svg><style><img src=x onerror=__xss(@@)></style></svg>",
    "<math><style><img src=x onerror=__xss(@@)></style></math>",
    "<math><mtext><table><mglyph><style><img src=x onerror=__xss(@@)>",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=__xss(@@)>",
    # Markdown links and images (works may be typed in Markdown)
    "[link](javascript:__xss(@@))",
    "![img](javascript:__xss(@@))",
    "[link](JAVASCRIPT:__xss(@@) 'title')",
    "<javascript:__xss(@@)>",
    # template injection (Django, Angular, JavaScript template strings)
    "{{7*7}}",
    "{{constructor.constructor('__xss(@@)')()}}",
    "{% debug %}{{ request.user.password }}",
    "${__xss(@@)}",
]


def payloads() -> list[str]:
    """Every payload, numbered from 1 in the order above."""
    return [template.replace(ARMED, str(number)) for number, template in enumerate(TEMPLATES, 1)]
