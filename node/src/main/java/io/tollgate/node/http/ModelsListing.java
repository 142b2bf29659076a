package io.tollgate.node.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.node.auth.Caller;
import io.tollgate.node.catalog.ModelCatalog;
import io.tollgate.node.catalog.ModelGroup;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.Json;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** {@code GET /v1/models}: the enabled models the caller's key may use, in OpenAI's or Anthropic's shape. */
final class ModelsListing {
  private static final String CREATED_AT = "2025-01-01T00:00:00Z";
  private final ModelCatalog catalog;

  ModelsListing(ModelCatalog catalog) {
    this.catalog = catalog;
  }

  HttpResponse render(Caller caller, ClientApi api) {
    List<ModelGroup> visible = catalog.all().stream().filter(m -> caller.mayUse(m.logicalModel())).toList();
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    ArrayNode data = f.arrayNode();
    for (ModelGroup m : visible) {
      ObjectNode entry = data.addObject();
      if (api == ClientApi.ANTHROPIC) {
        entry.put("type", "model").put("id", m.logicalModel()).put("display_name", m.logicalModel())
            .put("created_at", CREATED_AT);
      } else {
        entry.put("id", m.logicalModel()).put("object", "model").put("created", 0).put("owned_by", ownedBy(m));
      }
    }
    if (api == ClientApi.ANTHROPIC) {
      root.set("data", data);
      root.put("has_more", false);
      root.put("first_id", visible.isEmpty() ? null : visible.get(0).logicalModel());
      root.put("last_id", visible.isEmpty() ? null : visible.get(visible.size() - 1).logicalModel());
    } else {
      root.put("object", "list");
      root.set("data", data);
    }
    try {
      return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, Json.MAPPER.writeValueAsBytes(root));
    } catch (java.io.IOException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /** The provider for a one-deployment model; "tollgate" for a group spread over several providers. */
  private static String ownedBy(ModelGroup m) {
    String first = m.deployments().get(0).endpoint().name();
    return m.deployments().stream().allMatch(d -> d.endpoint().name().equals(first)) ? first : "tollgate";
  }
}
