package execution

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/jsload/jsload/bindings"
	"github.com/jsload/jsload/metrics"
)

// tagsObject is vu.tags (and vu.metrics.tags): the tags of the runtime's samples,
// read and set live. A tag set here is on every later sample of the runtime.
type tagsObject struct{ h bindings.Host }

// Get implements goja.DynamicObject.
func (o *tagsObject) Get(key string) goja.Value {
	if v, ok := o.h.Tags().Get(key); ok {
		return o.h.Goja().ToValue(v)
	}
	return nil
}

// Set implements goja.DynamicObject: strings, numbers and booleans, as in k6.
func (o *tagsObject) Set(key string, val goja.Value) bool {
	rt := o.h.Goja()
	if _, isObj := val.(*goja.Object); isObj || goja.IsUndefined(val) || goja.IsNull(val) {
		panic(rt.NewTypeError(fmt.Sprintf("vu.tags[%q]: a tag value is a string, a number or a boolean, got %s", key, val)))
	}
	o.h.SetTags(o.h.Tags().With(key, val.String()))
	return true
}

// Has implements goja.DynamicObject.
func (o *tagsObject) Has(key string) bool {
	_, ok := o.h.Tags().Get(key)
	return ok
}

// Delete implements goja.DynamicObject.
func (o *tagsObject) Delete(key string) bool {
	if m := o.h.Tags().Map(); m != nil {
		if _, ok := m[key]; ok {
			delete(m, key)
			o.h.SetTags(metrics.TagsFromMap(m))
		}
	}
	return true
}

// Keys implements goja.DynamicObject.
func (o *tagsObject) Keys() []string {
	var keys []string
	for k := range o.h.Tags().All() {
		keys = append(keys, k)
	}
	return keys
}

// metadataObject is vu.metrics.metadata, which jsload does not have: it reads as
// empty and refuses to be set, with an error saying so.
type metadataObject struct{ rt *goja.Runtime }

func (o *metadataObject) Get(string) goja.Value { return nil }
func (o *metadataObject) Set(string, goja.Value) bool {
	bindings.Throw(o.rt, errMetadataNotSet)
	return false
}
func (o *metadataObject) Has(string) bool    { return false }
func (o *metadataObject) Delete(string) bool { return true }
func (o *metadataObject) Keys() []string     { return nil }
