using System.Globalization;
using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.Engine.Health;

/// <summary>
/// kstatus' <c>Compute</c> and <c>Augment</c> over a live object: generic rules first, then the built-in kind's
/// rules, then a <c>Ready</c> condition, else Current. Pure: the clock is an argument (only Pod scheduling reads it).
/// </summary>
public static class KStatus
{
    /// <summary>Computes the status; throws <see cref="KStatusException"/> when the object is too malformed to judge.</summary>
    public static StatusResult Compute(JsonObject obj, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return GenericRules.Check(obj)
            ?? BuiltInKindRules.Apply(obj, now)
            ?? GenericRules.ReadyOrCurrent(obj);
    }

    /// <summary>Whether kstatus has rules of its own for this kind (otherwise only the generic conventions apply).</summary>
    public static bool HasBuiltInRules(GroupKind groupKind) => BuiltInKindRules.Covers(groupKind);

    /// <summary>
    /// Writes the computed standard conditions into <c>status.conditions</c>: an existing condition of the same type
    /// is updated in place (its transition time moves only when its status changes), a missing one is appended.
    /// </summary>
    public static void Augment(JsonObject obj, DateTimeOffset now)
    {
        var result = Compute(obj, now);
        if (result.Conditions.Count == 0)
        {
            return;
        }

        if (obj["status"] is not JsonObject status)
        {
            status = new JsonObject();
            obj["status"] = status;
        }

        if (status["conditions"] is not JsonArray conditions)
        {
            conditions = [];
            status["conditions"] = conditions;
        }

        var stamp = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        foreach (var wanted in result.Conditions)
        {
            var present = false;
            foreach (var node in conditions)
            {
                if (node is not JsonObject existing || ObjectFields.Str(existing, "type", "") != wanted.Type)
                {
                    continue;
                }

                if (ObjectFields.Str(existing, "status", "") != wanted.Status)
                {
                    existing["lastTransitionTime"] = stamp;
                }

                existing["status"] = wanted.Status;
                existing["lastUpdateTime"] = stamp;
                existing["reason"] = wanted.Reason;
                existing["message"] = wanted.Message;
                present = true;
            }

            if (!present)
            {
                conditions.Add(new JsonObject
                {
                    ["lastTransitionTime"] = stamp,
                    ["lastUpdateTime"] = stamp,
                    ["message"] = wanted.Message,
                    ["reason"] = wanted.Reason,
                    ["status"] = wanted.Status,
                    ["type"] = wanted.Type,
                });
            }
        }
    }
}
