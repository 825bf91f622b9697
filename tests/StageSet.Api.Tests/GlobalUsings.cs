// The resource type shares its name with the root namespace; alias it so tests can say StageSet.
global using StageSet = StageSet.Api.StageSet;
