// Package hub reads public model records and files from the Hugging Face
// Hub, for `whyopen import hf OWNER/NAME` and `whyopen track`.
//
// It is a tool, like bench, not a stage of the build: it is one of the
// few packages that talk to the network, and the build never calls it.
// It does not touch the file system.
//
// A Client asks the Hub at Endpoint, which New takes from HF_ENDPOINT as
// the huggingface_hub library does (https://huggingface.co when unset),
// with the token in HF_TOKEN, when set, for gated repositories. Requests
// follow the Hub's public layout:
//
//   - GET /api/models/OWNER/NAME: a model's record (Model);
//   - GET /OWNER/NAME/resolve/main/FILE: a file of the model's main
//     branch, such as config.json or README.md;
//   - GET /api/models?author=ORG&sort=createdAt&direction=-1 (with
//     limit=100, full=true and cardData=true, for each model's tags and
//     base_model): an account's models, newest first, a page at a time,
//     the next page named by the response's Link header (rel="next"),
//     which must stay on the endpoint's host.
//
// Every request has a deadline (Timeout). A request that fails returns an
// *Error saying which of these it was, in words a contributor can act on:
// no such model or file (404, or the Hub's RepoNotFound and
// EntryNotFound codes), gated or not authorised (401, 403), the Hub
// failing (5xx), no answer in time, or an answer that is not what the Hub
// sends.
//
// Model pages always cite https://huggingface.co (PageURL), whatever the
// endpoint: a mirror is never a source.
package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// DefaultEndpoint is the Hub's address when HF_ENDPOINT is unset.
const DefaultEndpoint = "https://huggingface.co"

// Timeout bounds each request, body included.
const Timeout = 30 * time.Second

// MaxFile is the largest file or record the client reads.
const MaxFile = 8 << 20

// maxPages bounds a listing, at 100 models a page.
const maxPages = 100

// Client asks one Hub.
type Client struct {
	Endpoint string // such as https://huggingface.co, without a trailing slash
	Token    string // sent as a bearer token when not empty
	HTTP     *http.Client
}

// New returns a client for the Hub that getenv's HF_ENDPOINT names, with
// getenv's HF_TOKEN. getenv is os.Getenv outside tests.
func New(getenv func(string) string) (*Client, error) {
	ep := strings.TrimSpace(getenv("HF_ENDPOINT"))
	if ep == "" {
		ep = DefaultEndpoint
	}
	u, err := url.Parse(ep)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("HF_ENDPOINT %q is not an http(s) address such as %s", ep, DefaultEndpoint)
	}
	return &Client{
		Endpoint: strings.TrimSuffix(ep, "/"),
		Token:    strings.TrimSpace(getenv("HF_TOKEN")),
		HTTP:     &http.Client{Timeout: Timeout},
	}, nil
}

// PageURL is the model's page on huggingface.co, the URL an entry cites.
func PageURL(repo string) string { return DefaultEndpoint + "/" + repo }

// RepoPattern is what a repository id looks like: owner/name.
var RepoPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$`)

// Kind says how a request failed.
type Kind int

const (
	NotFound  Kind = iota + 1 // no such model, or no such file in it
	Gated                     // the repository is gated, or the token may not read it
	Server                    // the Hub answered 5xx
	NoAnswer                  // no answer in time, or no connection
	BadAnswer                 // an answer the client cannot read
)

// Error is a failed request.
type Error struct {
	Kind   Kind
	URL    string
	Status int    // the HTTP status, or 0
	Detail string // the Hub's own message, when it sent one
	Err    error  // the transport's error, for NoAnswer and BadAnswer
	Repo   string // the model asked about
	File   string // the file asked for, or "" for the record
	Token  bool   // whether a token was sent
}

func (e *Error) Error() string {
	what := e.Repo
	if e.File != "" {
		what = e.File + " of " + e.Repo
	}
	if e.Repo == "" {
		what = e.URL
	}
	var s string
	switch e.Kind {
	case NotFound:
		if e.File != "" {
			s = fmt.Sprintf("%s: the repository has no such file (HTTP %d)", what, e.Status)
		} else {
			s = fmt.Sprintf("%s: no such public model on the Hub (HTTP %d); check the owner/name, as on its page", what, e.Status)
		}
	case Gated:
		if e.Token {
			s = fmt.Sprintf("%s: HTTP %d: the repository is gated and HF_TOKEN's account may not read it: accept the terms at %s, or check the token", what, e.Status, PageURL(e.Repo))
		} else {
			s = fmt.Sprintf("%s: HTTP %d: the repository is gated: accept the terms at %s, then set HF_TOKEN to a read token of that account", what, e.Status, PageURL(e.Repo))
		}
	case Server:
		s = fmt.Sprintf("%s: the Hub failed (HTTP %d); try again later", what, e.Status)
	case NoAnswer:
		s = fmt.Sprintf("%s: no answer from %s: %v", what, e.URL, e.Err)
	default:
		s = fmt.Sprintf("%s: unreadable answer from %s: %v", what, e.URL, e.Err)
	}
	if e.Detail != "" && e.Kind != BadAnswer && e.Kind != NoAnswer {
		s += fmt.Sprintf(" (the Hub says: %s)", e.Detail)
	}
	return s
}

// IsKind reports whether err is an *Error of kind k.
func IsKind(err error, k Kind) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == k
}

// Gate is a model's gated field: false, or how access is granted.
type Gate string

// UnmarshalJSON reads false, true, "auto" or "manual".
func (g *Gate) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch v := v.(type) {
	case bool:
		*g = ""
		if v {
			*g = "auto"
		}
	case string:
		*g = Gate(v)
	case nil:
		*g = ""
	default:
		return fmt.Errorf("gated: want false, \"auto\" or \"manual\", have %s", b)
	}
	return nil
}

// Model is a model's record, as /api/models/OWNER/NAME and the listing
// give it. Fields the client does not use are left out.
type Model struct {
	ID          string          `json:"id"`
	Author      string          `json:"author"`
	SHA         string          `json:"sha"`
	CreatedAt   time.Time       `json:"createdAt"`
	Private     bool            `json:"private"`
	Disabled    bool            `json:"disabled"`
	Gated       Gate            `json:"gated"`
	PipelineTag string          `json:"pipeline_tag"`
	LibraryName string          `json:"library_name"`
	Tags        []string        `json:"tags"`
	CardData    json.RawMessage `json:"cardData"`
	Safetensors *struct {
		Parameters map[string]int64 `json:"parameters"`
		Total      int64            `json:"total"`
	} `json:"safetensors"`
	GGUF *struct {
		Total         int64  `json:"total"`
		Architecture  string `json:"architecture"`
		ContextLength int64  `json:"context_length"`
	} `json:"gguf"`
	Siblings []struct {
		RFilename string `json:"rfilename"`
	} `json:"siblings"`
}

// HasFile reports whether the record lists the file.
func (m *Model) HasFile(name string) bool {
	for _, s := range m.Siblings {
		if s.RFilename == name {
			return true
		}
	}
	return false
}

// BaseModels returns the models the record names as its base, from the
// card's base_model and the Hub's base_model:... tags.
func (m *Model) BaseModels() []string {
	var out []string
	add := func(s string) {
		s = strings.TrimSpace(s)
		if RepoPattern.MatchString(s) {
			for _, o := range out {
				if strings.EqualFold(o, s) {
					return
				}
			}
			out = append(out, s)
		}
	}
	var cd struct {
		BaseModel any `json:"base_model"`
	}
	if len(m.CardData) > 0 && json.Unmarshal(m.CardData, &cd) == nil {
		switch b := cd.BaseModel.(type) {
		case string:
			add(b)
		case []any:
			for _, x := range b {
				if s, ok := x.(string); ok {
					add(s)
				}
			}
		}
	}
	for _, t := range m.Tags {
		if rest, ok := strings.CutPrefix(t, "base_model:"); ok {
			// base_model:ID, or base_model:RELATION:ID
			if i := strings.IndexByte(rest, ':'); i >= 0 {
				rest = rest[i+1:]
			}
			add(rest)
		}
	}
	return out
}

// Model returns the record of repo, owner/name.
func (c *Client) Model(ctx context.Context, repo string) (*Model, error) {
	if !RepoPattern.MatchString(repo) {
		return nil, fmt.Errorf("%q is not a Hugging Face repository: want owner/name, such as tiiuae/falcon-mamba-7b", repo)
	}
	body, _, err := c.get(ctx, c.Endpoint+"/api/models/"+repo, repo, "")
	if err != nil {
		return nil, err
	}
	var m Model
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, &Error{Kind: BadAnswer, URL: c.Endpoint + "/api/models/" + repo, Repo: repo, Err: err}
	}
	if m.ID == "" {
		m.ID = repo
	}
	return &m, nil
}

// File returns a file of repo's main branch.
func (c *Client) File(ctx context.Context, repo, name string) ([]byte, error) {
	if !RepoPattern.MatchString(repo) {
		return nil, fmt.Errorf("%q is not a Hugging Face repository: want owner/name", repo)
	}
	body, _, err := c.get(ctx, c.Endpoint+"/"+repo+"/resolve/main/"+url.PathEscape(name), repo, name)
	return body, err
}

// List returns the public models of author created at or after since,
// newest first, following the listing's Link header from page to page.
// The zero since lists them all.
func (c *Client) List(ctx context.Context, author string, since time.Time) ([]Model, error) {
	q := url.Values{"author": {author}, "sort": {"createdAt"}, "direction": {"-1"}, "limit": {"100"}, "full": {"true"}, "cardData": {"true"}}
	next := c.Endpoint + "/api/models?" + q.Encode()
	base, _ := url.Parse(c.Endpoint)
	var out []Model
	for page := 0; next != ""; page++ {
		if page == maxPages {
			return out, fmt.Errorf("%s: more than %d pages of models; pass a later -since", author, maxPages)
		}
		body, h, err := c.get(ctx, next, "", "")
		if err != nil {
			return out, err
		}
		var ms []Model
		if err := json.Unmarshal(body, &ms); err != nil {
			return out, &Error{Kind: BadAnswer, URL: next, Err: err}
		}
		for _, m := range ms {
			if !since.IsZero() && m.CreatedAt.Before(since) {
				return out, nil // sorted newest first: the rest are older
			}
			if !m.Private && !m.Disabled {
				out = append(out, m)
			}
		}
		next = nextLink(h.Get("Link"))
		if next != "" {
			u, err := url.Parse(next)
			if err != nil || u.Host != base.Host || u.Scheme != base.Scheme {
				return out, &Error{Kind: BadAnswer, URL: next, Err: fmt.Errorf("the next page is not at %s", c.Endpoint)}
			}
		}
	}
	return out, nil
}

var linkNext = regexp.MustCompile(`<([^>]*)>\s*;[^,]*\brel="?next"?`)

// nextLink returns the rel="next" URL of a Link header, or "".
func nextLink(h string) string {
	if m := linkNext.FindStringSubmatch(h); m != nil {
		return m[1]
	}
	return ""
}

func (c *Client) get(ctx context.Context, u, repo, file string) ([]byte, http.Header, error) {
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: Timeout}
	}
	timeout := Timeout
	if hc.Timeout > 0 && hc.Timeout < timeout {
		timeout = hc.Timeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("User-Agent", "whyopen (+https://github.com/whyopen/whyopen)")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	e := &Error{URL: u, Repo: repo, File: file, Token: c.Token != ""}
	resp, err := hc.Do(req)
	if err != nil {
		e.Kind, e.Err = NoAnswer, err
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
			e.Err = fmt.Errorf("no answer within %v", timeout)
		}
		return nil, nil, e
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxFile+1))
	if err != nil {
		e.Kind, e.Err = NoAnswer, err
		return nil, nil, e
	}
	if resp.StatusCode == http.StatusOK {
		if len(body) > MaxFile {
			e.Kind, e.Err = BadAnswer, fmt.Errorf("larger than %d MiB", MaxFile>>20)
			return nil, nil, e
		}
		return body, resp.Header, nil
	}
	e.Status = resp.StatusCode
	e.Detail = hubMessage(body)
	code := resp.Header.Get("X-Error-Code")
	switch {
	case code == "RepoNotFound" || code == "EntryNotFound" || code == "RevisionNotFound" || resp.StatusCode == http.StatusNotFound:
		e.Kind = NotFound
	case code == "GatedRepo" || resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		e.Kind = Gated
	case resp.StatusCode >= 500:
		e.Kind = Server
	default:
		e.Kind, e.Err = BadAnswer, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return nil, nil, e
}

// hubMessage returns the Hub's {"error": "..."} message, shortened, or "".
func hubMessage(body []byte) string {
	var v struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &v) != nil || v.Error == "" {
		return ""
	}
	s := strings.Join(strings.Fields(v.Error), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

// Bundle is what import reads of a model: its record, its config.json and
// its model card, each when the Hub gave it.
type Bundle struct {
	Repo   string
	Model  *Model
	Config []byte // config.json, or nil
	Card   []byte // README.md, or nil
	// Notes say what could not be read and why, for the contributor.
	Notes []string
}

// Fetch reads repo's record, then its config.json and README.md. A
// missing or gated file is a note, not an error: the record alone makes
// an entry. A failure of the record is an error.
func (c *Client) Fetch(ctx context.Context, repo string) (*Bundle, error) {
	m, err := c.Model(ctx, repo)
	if err != nil {
		return nil, err
	}
	b := &Bundle{Repo: m.ID, Model: m}
	if !RepoPattern.MatchString(b.Repo) {
		b.Repo = repo
	}
	for _, f := range []struct {
		name string
		dst  *[]byte
	}{{"config.json", &b.Config}, {"README.md", &b.Card}} {
		if len(m.Siblings) > 0 && !m.HasFile(f.name) {
			b.Notes = append(b.Notes, f.name+": the repository has none")
			continue
		}
		data, err := c.File(ctx, b.Repo, f.name)
		switch {
		case err == nil:
			*f.dst = data
		case IsKind(err, NotFound) || IsKind(err, Gated):
			b.Notes = append(b.Notes, err.Error())
		default:
			return nil, err
		}
	}
	return b, nil
}
