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
// Each file's Markdown body is parsed once, here, into the two things
// later stages need: its HTML, rendered in goldmark's safe mode, and its
// link destinations, which check judges (see Doc).
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
// # The content tree
//
//	content/site.yaml                the site: title, base_url, description, period
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
//	license        license id or alias, required
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
//	modality       list: text, code, vision, image, video, audio, speech,
//	               robotics, world-model, embedding, 3d, time-series, science
//	languages      list of ISO 639-1 codes (two lowercase letters), or
//	               "multilingual"
//	trained_on     hardware vendor the model was trained on: NVIDIA, AMD...
//	product        the product feature the model ships in
//	links          map with optional weights, report, announcement and code URLs
//	benchmarks     list of {name, score, source}; score is a number
//	tags           list of lowercase words
//
// # Organisations
//
//	name           string, required
//	kind           lab, chip-vendor, cloud, bigtech, product-company,
//	               state-program, research or nonprofit; required
//	country        ISO 3166-1 alpha-2 code, required
//	state_backed   bool
//	bucket         bucket id: the editors' default for the org's releases
//	buckets        map of scheme id to bucket id: the default in each
//	               further scheme
//	bucket_notes   map of scheme id to string: why, or why there is none
//	website        http(s) URL
//	huggingface    the org's Hugging Face account name
//	sources        list of http(s) URLs
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
// The facts are org.kind, org.state_backed, org.country, license,
// license.class, trained_on, trained_on_own_hardware, params_total,
// params_active, architecture, modality and product. Boolean facts compare
// with "true" or "false". trained_on_own_hardware is true when trained_on
// names the org itself (NVIDIA on NVIDIA, Google on Google TPU).
//
// # Licenses
//
//	name           string, required
//	spdx           SPDX identifier, where one exists
//	class          open, conditional or non-commercial; required
//	url            http(s) URL of the license text, required
//	aliases        list of other ids, such as Hugging Face license ids
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
// # site.yaml
//
//	title          string, required
//	base_url       http(s) URL ending in "/", required; no user name,
//	               query, fragment or "." or ".." segment, and a port, if
//	               any, from 1 to 65535
//	description    string
//	period         quarter or month: the default period of charts
package load
