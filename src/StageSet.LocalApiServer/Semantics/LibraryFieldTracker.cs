using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Admission;
using StageSet.LocalApiServer.FieldManagement;
using StageSet.LocalApiServer.Http;
using StageSet.LocalApiServer.Registry;

namespace StageSet.LocalApiServer.Semantics;

/// <summary>
/// managedFields and server-side apply through the FieldManagement library; its errors become the Status bodies of
/// api-server.md §6.1 and §6.4. Defaulting is left to the writer, after ownership is settled, so SSA never owns defaults.
/// </summary>
internal sealed class LibraryFieldTracker(FieldManager manager) : IFieldTracker
{
    public JsonObject Apply(ResourceType rt, JsonObject? live, JsonObject config, ApplyOptions options)
    {
        try
        {
            return manager.Apply(live, config, new ApplyRequest(options.Manager, options.Force, options.Subresource, options.Now)
            {
                Kind = rt.Gvk,
                StatusIsSubresource = rt.HasStatus,
            });
        }
        catch (ApplyConflictException e)
        {
            var causes = new JsonArray();
            foreach (var c in e.Conflicts)
            {
                causes.Add(new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message, ["field"] = c.Field });
            }

            throw ApiError.FromStatus(e.Code, "Conflict", e.Message, new JsonObject { ["causes"] = causes });
        }
        catch (InvalidApplyException e)
        {
            throw ApiError.FromStatus(e.Code, e.Reason ?? "", e.Message);
        }
    }

    public JsonObject RecordUpdate(ResourceType rt, JsonObject? live, JsonObject updated, UpdateOptions options) =>
        manager.RecordUpdate(live, updated, new UpdateRequest(options.Manager, options.ApiVersion, options.Subresource, options.Now)
        {
            StatusIsSubresource = rt.HasStatus,
        });
}
