// Package load reads a whyopen content tree from disk into plain values.
//
// It is the only stage that reads content files. It decodes each file's
// YAML front matter through go.yaml.in/yaml/v3 nodes, so that every value
// keeps its line and column, and it reports, in one pass, every syntax
// error, unknown field and wrongly typed value it meets. Front matter in
// the plain subset of YAML that content is written in is read into those
// nodes without the YAML parser, which is slow (quickYAML); a file the
// subset does not cover goes to the parser, so the result is the same.
// It does not judge whether ids resolve or values are allowed: that is
// package check's job.
// Each file's Markdown body is parsed once, here, into what later stages
// need: its HTML, rendered in goldmark's safe mode with raw HTML cleaned
// (below), its link destinations, which check judges, and its HTML
// comments and TODOs, by which check finds an unfinished entry (see Doc).
// Files are read and parsed on all cores; a Cache, kept between reads,
// parses only the files that changed.
//
// # Limits on a Markdown body
//
// goldmark takes time quadratic in the input on some malformed bodies
// (minutes for a few hundred kilobytes), so a body over one of these
// limits is refused with an error at the line where it crosses it, and
// renders to nothing:
//
//   - lists and block quotes nest at most 16 deep (MaxNesting);
//   - at most 10,000 inline links, counted as "](" (MaxLinks), and the
//     bytes from each "](" to the end of its line, summed, at most 32 MiB
//     (MaxLinkScan): goldmark rereads the line for each unclosed link;
//   - at most 1,000 link reference definitions (MaxReferences);
//   - at most 1,000 "[" open at once in a paragraph (MaxBrackets);
//   - a table has at most 100,000 cells, header columns times rows
//     (MaxTableCells);
//   - the HTML is at most 32 MiB (MaxHTML);
//   - parsing takes at most 32 steps (block and inline parser calls,
//     emphasis delimiter comparisons) per byte, which well-formed text
//     never nears, and at most 3 seconds (MaxParseTime). The time limit
//     is the only one that depends on the machine: it is a last resort
//     for malformed text the others do not catch.
//
// The limits are checked by reading the body before goldmark does and by
// wrapping goldmark's own parsers, which otherwise behave as goldmark's
// GFM does.
//
// # Raw HTML in a body
//
// Raw HTML, as model cards hold it, is kept as far as a strict allow-list
// permits (github.com/microcosm-cc/bluemonday; goldmark's unsafe mode is
// never used): text structure (p, div, span, br, hr, headings, lists,
// block quotes, pre, code, em, strong, b, i, u, s, sub, sup, details,
// summary...), tables, links over http, https and mailto, and images
// over https. align (left, center, right, justify) becomes the class
// align-<value>; image width and height and cell spans are kept.
// Everything else is removed, and each removal (an element, an event
// handler, a style, an http image, a javascript: link) is a warning at
// its line. Comments are dropped; script, style, iframe, textarea and
// the other elements whose content is not HTML go with their content.
//
// The allow-list is applied to each raw HTML node on its own, tag by tag,
// so that a node's output is only whole tags and escaped text: an
// unclosed tag, quote or comment cannot swallow the text after it. Then,
// when any HTML was kept, the body's whole HTML is parsed as the content
// of a <div> and written out again, so that tags split across nodes
// (<b> … </b> around Markdown text, a <div align=center> block, then
// Markdown, then </div>) nest properly and a stray end tag cannot close
// the page's own elements. As in CommonMark, Markdown inside an HTML
// block (a paragraph that starts with a tag, up to the next blank line)
// stays as written; leave a blank line after the tag to have it read as
// Markdown. Headings move one level down, as Markdown ones do. The site
// loads nothing from other hosts, so a kept image shows as a link to it,
// labelled with its alt text; an image not over https shows its alt text.
//
// # The content tree
//
//	content/site.yaml                the site: title, base_url, description, period
//	content/sources.yaml             optional: the mirror and farm hosts
//	content/releases/**/<slug>.md    one release per file; the slug is the file name
//	content/orgs/<id>.md             one organisation per file
//	content/buckets/<id>.md          one motivation bucket per file: the primary scheme
//	content/schemes/<id>/scheme.md   a further bucket scheme, another reading
//	content/schemes/<id>/<bucket>.md its buckets, one per file, as in content/buckets/
//	content/licenses/<id>.md         one license per file
//	content/reports/<id>.md          one periodic report per file
//
// Every .md file starts with YAML front matter between two "---" lines,
// followed by a Markdown body. A UTF-8 byte-order mark and CRLF line endings
// are accepted. Anchors, aliases and merge keys are refused. Front matter
// is limited to 64 KiB and a whole file to 10 MiB. Symbolic links and files
// other than .md (and site.yaml) are refused or ignored as described by
// [Dir]; a file ignored whose name is a near miss of a content file's
// (x.MD, x.markdown, x.mdx, x.md.txt, content/site.yml) gets a warning
// naming the file it was probably meant to be.
//
// An empty value, null or, for a text field, "", is the same as an absent
// one. Text may not be YAML binary data (!!binary). Load refuses parameter
// counts of 100T (MaxCount) or more; check refuses the other implausible
// values: dates before 1990-01-01 (Earliest) or more than a year after the
// build, blank titles and names or ones holding control, bidirectional or
// other invisible formatting characters, signal weights outside -100 to
// 100 (MinWeight, MaxWeight), and the values marked below.
//
// content/ itself may be a symbolic link to a directory: it is followed,
// and problems are still reported at content/... paths. A content/ that
// is missing, not a directory, or a link that leads to no directory is
// one problem at "content", and nothing else is reported about the site:
// not even its missing site.yaml.
//
// # Releases
//
//	title          string, required
//	org            org id, required
//	date           YYYY-MM-DD, required: when the weights were first published
//	license        license id, alias or name, required; matched without
//	               regard to case or punctuation ("LLaMA 2" is llama2),
//	               the same way by check, classify and import (LicenseIndex)
//	sources        list of http(s) URLs, at least one, required
//	summary        string: one to three sentences
//	bucket         bucket id: the editors' override of the inferred bucket
//	bucket_note    string: why the editors chose bucket
//	buckets        map of scheme id to bucket id: the editors' bucket in
//	               each further scheme (bucket is the primary scheme's)
//	bucket_notes   map of scheme id to string: why they chose it
//	params_total   number, or a number with K, M, B or T: 8.4B, 760M, 1.2T;
//	               under 100T
//	params_active  same as params_total; for mixture-of-experts models
//	architecture   dense, moe, hybrid or other
//	context        context window: a number, or with K or M: 128K, 1M
//	modality_in    list of what the model takes: text, code, image,
//	               video, audio, speech, 3d, time-series, tabular,
//	               embedding, action, labels; image covers photos,
//	               documents and screens, speech is spoken language and
//	               audio other sound
//	modality_out   list of what the model makes, in the same words:
//	               embedding for vectors, action for a robot's actions,
//	               labels for classes, boxes, masks or scores. The field
//	               modality, which mixed the two, is retired: check
//	               names it and says how to split it
//	languages      list of ISO 639-1 codes (two lowercase letters), or
//	               "multilingual"
//	trained_on     hardware vendor the model was trained on: NVIDIA, AMD...
//	product        the product feature the model ships in
//	links          map with optional weights, report, announcement and code URLs
//	benchmarks     list of {name, score, source}; score is a number
//	variants       list of {name, license, params_total, params_active}:
//	               the members of a family, see below
//	tags           list of lowercase words of letters and digits joined by
//	               single hyphens: ^[a-z0-9]+(-[a-z0-9]+)*$ (open-data, rag)
//	base_model     what it was built on: a release's slug, which must exist
//	               (its page then links to the base, and the base's page
//	               lists what was built on it), or a Hugging Face
//	               repository as owner/name, linked as written
//	co_orgs        list of org ids: the orgs that developed it with org
//	weights        open (anyone may download them), gated (after accepting
//	               terms or an approval) or closed; closed is an error,
//	               since the report covers open weights only
//
// A family whose members differ in license or size, such as one release
// in several sizes, lists them as variants. Each has a name (required)
// and may have its own license (the release's when absent),
// params_total and params_active:
//
//	license: qwen          # the most restrictive license of the variants
//	params_total: 72.7B    # the flagship's: the largest variant's
//	variants:
//	  - name: Qwen2.5-72B
//	    params_total: 72.7B  # license: qwen, the release's
//	  - name: Qwen2.5-7B
//	    license: apache-2.0
//	    params_total: 7.61B
//
// The release's own license is the one its charts and class count, so it
// must be at least as restrictive as every variant's: license classes go
// open < conditional < non-commercial, and check refuses a release whose
// class is less restrictive than one of its variants'. Its params_total
// and params_active are the flagship's.
//
// # Organisations
//
//	name           string, required
//	kind           lab, chip-vendor, cloud, bigtech, product-company,
//	               state-program, research or nonprofit; required
//	country        ISO 3166-1 alpha-2 code, or INT for an international
//	               organisation that no one country hosts (a consortium of
//	               labs in many countries); required
//	state_backed   bool
//	bucket         bucket id: the editors' default for the org's releases
//	buckets        map of scheme id to bucket id: the default in each
//	               further scheme
//	bucket_notes   map of scheme id to string: why, or why there is none
//	website        http(s) URL
//	domains        list of other web hosts where the org speaks for
//	               itself, such as mistral.ai; host names, no paths
//	huggingface    the org's Hugging Face account name, or a list of them
//	github         list of the org's GitHub organisation or user names
//	sources        list of http(s) URLs
//
// website, domains, huggingface and github say where the org speaks for
// itself: a release's URL there is a primary source (see package
// provenance). A subdomain of a listed domain, or of website's host,
// counts too.
//
// # Schemes
//
// A site may read its releases with more than one bucket scheme. The
// primary one is content/buckets/; site.yaml may name it (scheme, an id,
// default "primary"; scheme_title; scheme_seed, the analysis it is read
// from). Each further scheme is a directory
// content/schemes/<id>/ holding scheme.md and one bucket file per bucket,
// with the same fields as content/buckets/. A map's keys are written as
// a block (key: value on their own lines) or a flow map ({key: value}).
// scheme.md has:
//
//	title          string, required
//	order          int: position among the further schemes
//	seed           string: the analysis the scheme is read from
//	corresponds    map of this scheme's bucket id to a list of the primary
//	               scheme's bucket ids it roughly maps to
//
// # Buckets
//
//	title          string, required
//	order          int, required: position in legends and tables
//	color          #rrggbb, required: the bucket's colour on light backgrounds
//	color_dark     #rrggbb: the colour on dark backgrounds (default: color)
//	question       string, required: what the maker probably wants
//	signals        list of weighted signals, see below
//
// A signal names a fact about a release and a test on it; when the test
// holds, weight is added to the bucket's score:
//
//   - fact: org.kind          # the fact tested, see below
//     in: [chip-vendor]       # holds when the fact is one of these values
//     weight: 3               # whole number from -100 to 100
//   - fact: params_total
//     below: 10B              # holds when the fact is known and smaller
//     weight: 1
//   - fact: params_total
//     at_least: 100B          # holds when the fact is known and not smaller
//     weight: 1
//   - fact: product
//     present: true           # holds when the fact is (or is not) given
//     weight: 3
//
// The facts are org.kind, org.state_backed, org.country, org.programme,
// national_language, license, license.class, trained_on,
// trained_on_own_hardware, params_total, params_active, architecture,
// modality_in, modality_out, modality (in either of the two) and product.
// Boolean facts compare with "true" or "false". trained_on_own_hardware is
// true when trained_on names the org itself (NVIDIA on NVIDIA, Google on
// Google TPU).
//
// # Licenses
//
//	name           string, required
//	spdx           SPDX identifier, where one exists
//	class          open, conditional or non-commercial; or custom, for
//	               bespoke terms not yet placed in one of those, or
//	               unknown, where no license could be found; required.
//	               Charts show custom and unknown after the other three,
//	               each only when some license has it
//	url            http(s) URL of the license text; required unless class
//	               is custom or unknown
//	aliases        list of other ids, such as Hugging Face license ids; no
//	               id, alias or name may match another license's once case
//	               and punctuation are ignored
//	sources        list of http(s) URLs
//
// # Reports
//
//	number         int, required: the edition number
//	title          string, required
//	from, to       YYYY-MM-DD, required: the period covered, inclusive
//	published      YYYY-MM-DD, required
//	picks          list of {release, blurb}: release is a slug
//	summary        string: a sentence for listings and feeds
//
// # sources.yaml
//
// content/sources.yaml lists the hosts that are never a source, because
// they re-serve another site's pages (mirrors), and those that are not
// one on their own, because they publish generated or copied text
// (farms). Editors extend it; it is optional.
//
//	mirrors:
//	  - host: hf-mirror.com     # the host and its subdomains
//	    original: huggingface.co
//	  - host: "*.workers.dev"   # any subdomain, not the host itself
//	  - host: www.arxiv-vanity.com
//	    original: arxiv.org/abs # a host with an optional path
//	    strip: /papers          # removed from the mirror's path first
//	farms:
//	  - host: aiwiki.ai
//	    note: AI-written wiki
//
// host is required; original, strip and note are optional (farms have
// host and note). Where several entries match a host, the most specific
// one applies: hf.example.workers.dev before *.workers.dev.
//
// # site.yaml
//
//	title          string, required
//	base_url       http(s) URL ending in "/", required; no user name,
//	               query, fragment or "." or ".." segment, and a port, if
//	               any, from 1 to 65535
//	description    string
//	period         quarter or month: the default period of charts
//	min_share_n    integer, at least 1, default 8: the fewest releases a
//	               period needs for a chart to plot its shares
//	data_license   string: the data's license, an SPDX id such as
//	               CC-BY-4.0, shown on every figure's export
package load
