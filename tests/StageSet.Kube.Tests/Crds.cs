using System.Text.Json.Nodes;

namespace StageSet.Kube.Tests;

internal static class Crds
{
    /// <summary>A namespaced <c>Widget</c> kind in <paramref name="group"/> with an open schema.</summary>
    public static JsonObject Widget(string group) => JsonNode.Parse($$"""
        {
          "apiVersion": "apiextensions.k8s.io/v1",
          "kind": "CustomResourceDefinition",
          "metadata": { "name": "widgets.{{group}}" },
          "spec": {
            "group": "{{group}}",
            "scope": "Namespaced",
            "names": { "kind": "Widget", "listKind": "WidgetList", "plural": "widgets", "singular": "widget" },
            "versions": [{
              "name": "v1", "served": true, "storage": true,
              "schema": { "openAPIV3Schema": { "type": "object", "x-kubernetes-preserve-unknown-fields": true } }
            }]
          }
        }
        """)!.AsObject();
}
