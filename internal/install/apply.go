package install

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// FieldOwner is the field manager of the dry runs.
const FieldOwner = "kongchuo-install-test"

// Objects splits a multi-document YAML manifest into objects, skipping empty documents.
func Objects(manifest []byte) ([]*unstructured.Unstructured, error) {
	decoder := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(manifest), 4096)
	var objs []*unstructured.Unstructured
	for {
		var raw runtime.RawExtension
		err := decoder.Decode(&raw)
		if errors.Is(err, io.EOF) {
			return objs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("decoding object %d: %w", len(objs)+1, err)
		}
		if len(bytes.TrimSpace(raw.Raw)) == 0 || string(bytes.TrimSpace(raw.Raw)) == "null" {
			continue
		}
		// Unstructured's own decoder keeps integers as int64, as the API machinery expects.
		obj := &unstructured.Unstructured{}
		if err := obj.UnmarshalJSON(raw.Raw); err != nil {
			return nil, fmt.Errorf("decoding object %d: %w", len(objs)+1, err)
		}
		objs = append(objs, obj)
	}
}

// CreateNamespaces creates, for real, the Namespaces the manifest defines or puts objects in: a
// dry run does not create them, and objects in a namespace that does not exist are refused.
func CreateNamespaces(ctx context.Context, c client.Client, objs []*unstructured.Unstructured) error {
	names := map[string]bool{}
	for _, obj := range objs {
		if obj.GetKind() == "Namespace" && obj.GetAPIVersion() == "v1" {
			names[obj.GetName()] = true
		}
		if ns := obj.GetNamespace(); ns != "" {
			names[ns] = true
		}
	}
	for name := range names {
		ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
		if err := c.Create(ctx, ns); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("creating namespace %s: %w", name, err)
		}
	}
	return nil
}

// DryRunApply sends every object as a server-side apply with dryRun=All, so the API server
// validates it fully (schema, CEL rules, RBAC escalation checks, defaulting) without storing it.
// It returns every refusal, naming the object.
func DryRunApply(ctx context.Context, c client.Client, objs []*unstructured.Unstructured) error {
	var errs []error
	for _, obj := range objs {
		// A copy: the client writes the server's answer (managedFields, uid) into what it sends.
		err := c.Apply(ctx, client.ApplyConfigurationFromUnstructured(obj.DeepCopy()),
			client.DryRunAll, client.FieldOwner(FieldOwner), client.ForceOwnership)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %s/%s: %w", obj.GetKind(), obj.GetNamespace(), obj.GetName(), err))
		}
	}
	return errors.Join(errs...)
}
