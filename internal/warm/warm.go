package warm

import (
	_ "github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	_ "github.com/alecthomas/kingpin/v2"
	_ "github.com/hashicorp/terraform-plugin-framework/providerserver"
	_ "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	_ "github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	_ "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	_ "github.com/microsoft/kiota-authentication-azure-go"
	_ "github.com/microsoftgraph/msgraph-sdk-go"
	_ "github.com/microsoftgraph/msgraph-sdk-go-core"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/prometheus/client_golang/prometheus/testutil"
	_ "github.com/prometheus/exporter-toolkit/web"
	_ "github.com/prometheus/common/promslog"
	_ "github.com/golang-jwt/jwt/v5"
)
