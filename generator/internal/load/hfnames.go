package load

// HFNames returns the org's Hugging Face account names: none, or the one
// its huggingface field gives. It is the one place that reads the field's
// form, so that callers keep working when an org may list several names.
func (o *Org) HFNames() []string {
	if o.HuggingFace == "" {
		return nil
	}
	return []string{o.HuggingFace}
}
